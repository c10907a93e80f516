// Renders Kubernetes overlays with `kubectl kustomize` and checks every object they hold:
// Kubernetes objects against the Kubernetes schemas (unknown and missing required fields
// fail), Strimzi objects against the fields the services depend on, and every setting a
// container is given (flag, variable, ConfigMap key) against the settings the binary
// accepts, read from the binary's own --help.
//
//   node deploy/check/check-manifests.mjs --bin-dir=build [--kubectl=PATH] [OVERLAY_DIR...]
//
// The kubectl is the pinned one that tools/install-deps.sh unpacks (KUBECTL below), so that
// every machine renders the overlays with the same kustomize; --kubectl names another.
//
// Without overlay directories it checks every directory of deploy/k8s/overlays. Exits 0
// when every overlay is clean, 1 with one line per problem otherwise.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

import { isKubernetesKind, validateKubernetesObject } from "./kubernetes-schemas.mjs";
import { checkRegionTopics, checkStrimziObject } from "./strimzi.mjs";
import { checkWorkload, containerSettings } from "./workloads.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const KUBECTL = path.join(root, "deploy/check/node_modules/.kubectl/kubectl");

function parseArguments(argv) {
  let binDir = path.join(root, "build");
  let kubectl = KUBECTL;
  const overlays = [];
  for (const arg of argv) {
    if (arg.startsWith("--bin-dir=")) binDir = path.resolve(arg.slice("--bin-dir=".length));
    else if (arg.startsWith("--kubectl=")) kubectl = path.resolve(arg.slice("--kubectl=".length));
    else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}`);
    else overlays.push(path.resolve(arg));
  }
  if (overlays.length === 0) {
    const dir = path.join(root, "deploy/k8s/overlays");
    for (const name of readdirSync(dir).sort()) overlays.push(path.join(dir, name));
  }
  return { binDir, kubectl, overlays };
}

function render(kubectl, overlay) {
  const text = execFileSync(kubectl, ["kustomize", overlay], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const objects = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(document.errors[0].message);
    const object = document.toJS();
    if (object !== null) objects.push(object);
  }
  return objects;
}

// The settings a binary accepts: the "--flag (VARIABLE)" lines of its --help.
const settingsCache = new Map();
function acceptedSettings(binDir, program) {
  if (!settingsCache.has(program)) {
    const candidates = [
      path.join(binDir, "services", program.replace(/^crm-/, ""), program),
      path.join(binDir, "tools", program, program),
    ];
    const binary = candidates.find((file) => existsSync(file));
    if (binary === undefined) {
      settingsCache.set(program, undefined);
    } else {
      const help = execFileSync(binary, ["--help"], { encoding: "utf8" });
      const flags = new Set();
      const variables = new Set();
      for (const match of help.matchAll(/^\s+--([a-z0-9_]+) \(([A-Z0-9_]+)\)$/gm)) {
        flags.add(match[1]);
        variables.add(match[2]);
      }
      settingsCache.set(program, { binary, flags, variables });
    }
  }
  return settingsCache.get(program);
}

function checkSettingNames(object, container, settings, binDir) {
  const where = `${object.kind} ${object.metadata.name}, container ${container.name}`;
  const program = path.basename((container.command ?? [])[0] ?? "");
  const accepted = acceptedSettings(binDir, program);
  if (accepted === undefined) {
    return [`${where}: runs "${program}", which is no binary of this build`];
  }
  const problems = [];
  for (const name of settings.variables) {
    if (!accepted.variables.has(name)) {
      problems.push(`${where}: sets ${name}, which ${program} does not accept`);
    }
  }
  for (const flag of settings.flags) {
    if (!accepted.flags.has(flag)) {
      problems.push(`${where}: passes --${flag}, which ${program} does not accept`);
    }
  }
  return problems;
}

async function checkOverlay(overlay, binDir, kubectl) {
  const where = path.relative(root, overlay) || overlay;
  let objects;
  try {
    objects = render(kubectl, overlay);
  } catch (error) {
    return [`${where}: kubectl kustomize failed: ${error.stderr || error.message}`.trim()];
  }
  const problems = [];
  const configMaps = new Map(
    objects.filter((o) => o.kind === "ConfigMap").map((c) => [c.metadata.name, c.data ?? {}]),
  );
  let regionSettings;
  for (const object of objects) {
    const name = `${where}: ${object.kind} ${object.metadata?.name}`;
    if (String(object.apiVersion).startsWith("kafka.strimzi.io/")) {
      problems.push(...checkStrimziObject(object).map((p) => `${where}: ${p}`));
      continue;
    }
    if (!(await isKubernetesKind(object.apiVersion, object.kind))) {
      problems.push(`${name}: ${object.apiVersion} ${object.kind} is neither a Kubernetes nor a Strimzi kind`);
      continue;
    }
    problems.push(...(await validateKubernetesObject(object)).map((p) => `${name}: ${p}`));
    const pod = object.spec?.template?.spec;
    if (pod === undefined) continue;
    for (const container of pod.containers ?? []) {
      const settings = containerSettings(container, configMaps);
      problems.push(...settings.problems.map((p) => `${name}: ${p}`));
      problems.push(...checkSettingNames(object, container, settings, binDir).map((p) => `${where}: ${p}`));
      problems.push(...checkWorkload(object, container, settings.values, objects).map((p) => `${name}: ${p}`));
      regionSettings ??= settings.values;
    }
  }
  if (regionSettings !== undefined) {
    problems.push(...checkRegionTopics(objects, regionSettings, where));
  }
  return problems;
}

async function main() {
  const { binDir, kubectl, overlays } = parseArguments(process.argv.slice(2));
  let failed = false;
  for (const overlay of overlays) {
    const problems = await checkOverlay(overlay, binDir, kubectl);
    const where = path.relative(root, overlay) || overlay;
    if (problems.length === 0) {
      console.log(`check-manifests: ${where}: clean`);
    } else {
      failed = true;
      for (const problem of problems) console.log(problem);
    }
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(`check-manifests: ${error.message}`);
  process.exit(2);
});
