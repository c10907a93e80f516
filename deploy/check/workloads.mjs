// Checks of a service's workload beyond the schemas: the settings its container is given
// and what the deployment promises around them (authentication on, probes on the health
// port, a drain that fits the grace period, files that lie on mounted volumes, the objects
// that go with a StatefulSet).
//
//   const settings = containerSettings(container, configMapsByName);
//   const problems = checkWorkload(statefulSet, container, settings.values, allObjects);

// Every setting a container is given: variables (env and ConfigMaps through envFrom) and
// flags (--name=value or --name value in command and args), with their values.
export function containerSettings(container, configMaps) {
  const variables = new Set();
  const flags = new Set();
  const values = {};
  const problems = [];
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    if (name === undefined) continue;
    const data = configMaps.get(name);
    if (data === undefined) {
      problems.push(`container ${container.name}: envFrom names ConfigMap ${name}, which is not rendered`);
      continue;
    }
    for (const [key, value] of Object.entries(data)) {
      variables.add(key);
      values[key] = value;
    }
  }
  for (const variable of container.env ?? []) {
    variables.add(variable.name);
    if (variable.value !== undefined) values[variable.name] = variable.value;
  }
  const words = [...(container.command ?? []).slice(1), ...(container.args ?? [])];
  for (let i = 0; i < words.length; i++) {
    if (!words[i].startsWith("--")) continue;
    const [flag, inline] = words[i].slice(2).split(/=(.*)/s);
    flags.add(flag);
    const value = inline ?? words[++i];
    values[`CRM_${flag.toUpperCase()}`] = value;
  }
  return { variables, flags, values, problems };
}

function portOf(address) {
  return Number(String(address ?? "").split(":").pop());
}

function selects(selector, labels) {
  return Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
}

// The mounted directory a file lies in, or undefined.
function mountOf(container, file) {
  return (container.volumeMounts ?? []).find(
    (mount) => file === mount.mountPath || file.startsWith(`${mount.mountPath.replace(/\/$/, "")}/`),
  );
}

function checkFiles(container, values) {
  const problems = [];
  const files = Object.entries(values)
    .filter(([key, value]) => key.endsWith("_FILE") && value)
    .map(([key, value]) => [key, value]);
  for (const pair of String(values.CRM_KAFKA_CONFIG ?? "").split(",")) {
    const [key, value] = pair.split(/=(.*)/s);
    if (key.endsWith(".location") && value) files.push([`CRM_KAFKA_CONFIG ${key}`, value]);
  }
  for (const [setting, file] of files) {
    if (mountOf(container, file) === undefined) {
      problems.push(`${setting} = ${file} lies on no mounted volume`);
    }
  }
  return problems;
}

function checkProbes(container, values) {
  const problems = [];
  const healthPort = portOf(values.CRM_HEALTH_LISTEN);
  if (!healthPort) {
    return ["CRM_HEALTH_LISTEN is not set: gRPC probes cannot reach a TLS port"];
  }
  const named = (container.ports ?? []).find((p) => p.name === "health");
  if (named?.containerPort !== healthPort) {
    problems.push(`the port named health must be CRM_HEALTH_LISTEN's port ${healthPort}`);
  }
  const expected = { startupProbe: "liveness", livenessProbe: "liveness", readinessProbe: "" };
  for (const [probe, service] of Object.entries(expected)) {
    const grpc = container[probe]?.grpc;
    if (grpc === undefined) {
      problems.push(`${probe} must be a gRPC probe`);
      continue;
    }
    if (grpc.port !== healthPort) problems.push(`${probe} must ask the health port ${healthPort}`);
    if ((grpc.service ?? "") !== service) {
      problems.push(`${probe} must ask for service "${service}" (readiness is "", liveness "liveness")`);
    }
  }
  return problems;
}

function checkSecurity(pod, container) {
  const problems = [];
  if (pod.securityContext?.runAsNonRoot !== true) problems.push("the pod must run as non-root");
  const context = container.securityContext ?? {};
  if (context.allowPrivilegeEscalation !== false) problems.push("allowPrivilegeEscalation must be false");
  if (context.readOnlyRootFilesystem !== true) problems.push("the root filesystem must be read-only");
  if (!(context.capabilities?.drop ?? []).includes("ALL")) problems.push("every capability must be dropped");
  const resources = container.resources ?? {};
  for (const need of ["requests.cpu", "requests.memory", "limits.memory"]) {
    const [group, key] = need.split(".");
    if (resources[group]?.[key] === undefined) problems.push(`resources.${need} must be set`);
  }
  return problems;
}

function checkServiceSettings(object, container, values, objects) {
  const problems = [];
  const pod = object.spec.template.spec;
  if (values.CRM_AUTH !== "jwt") problems.push("CRM_AUTH must be jwt: a deployment authenticates every caller");
  for (const required of ["CRM_TLS_CERT_FILE", "CRM_TLS_KEY_FILE", "CRM_JWT_KEY_FILE", "CRM_JWT_ISSUER"]) {
    if (!values[required]) problems.push(`${required} must be set (CRM_AUTH=jwt needs it)`);
  }
  if (values.CRM_TOPIC_PREFIX !== `${values.CRM_REGION}.`) {
    problems.push(`CRM_TOPIC_PREFIX must be CRM_REGION followed by "." (the topics' names rely on it)`);
  }
  const drain = Number(values.CRM_SHUTDOWN_TIMEOUT_SECONDS ?? 20);
  const grace = pod.terminationGracePeriodSeconds ?? 30;
  if (grace < drain + 5) {
    problems.push(`terminationGracePeriodSeconds ${grace} leaves the ${drain} s drain no margin (at least ${drain + 5})`);
  }
  const grpcPort = (container.ports ?? []).find((p) => p.name === "grpc")?.containerPort;
  if (grpcPort !== portOf(values.CRM_LISTEN)) problems.push("the port named grpc must be CRM_LISTEN's port");
  const metricsPort = portOf(values.CRM_METRICS_LISTEN);
  const annotations = object.spec.template.metadata?.annotations ?? {};
  if (annotations["prometheus.io/scrape"] !== "true" || Number(annotations["prometheus.io/port"]) !== metricsPort) {
    problems.push(`Prometheus must be told to scrape CRM_METRICS_LISTEN's port ${metricsPort}`);
  }
  const dataDir = values.CRM_DATA_DIR ?? "";
  const dataMount = mountOf(container, dataDir);
  const claims = (object.spec.volumeClaimTemplates ?? []).map((claim) => claim.metadata?.name);
  if (dataMount === undefined || !claims.includes(dataMount.name)) {
    problems.push(`CRM_DATA_DIR ${dataDir} must lie on the StatefulSet's PersistentVolumeClaim`);
  }
  problems.push(...checkFiles(container, values));
  problems.push(...checkProbes(container, values));
  for (const [key, address] of Object.entries(values)) {
    const peer = key.match(/^CRM_([A-Z]+)_ADDR$/)?.[1]?.toLowerCase();
    if (peer === undefined) continue;
    const [host, port] = [address.slice(0, address.lastIndexOf(":")), portOf(address)];
    const service = objects.find((o) => o.kind === "Service" && o.metadata.name === host.split(".")[0]);
    if (service === undefined || !(service.spec.ports ?? []).some((p) => p.port === port)) {
      problems.push(`${key} = ${address} is no rendered Service and port`);
    }
  }
  return problems;
}

function checkCompanions(object, objects) {
  const problems = [];
  const labels = object.spec.template.metadata?.labels ?? {};
  const pod = object.spec.template.spec;
  const find = (kind, test) => objects.some((o) => o.kind === kind && test(o));
  if (!find("Service", (s) => s.metadata.name === object.spec.serviceName && selects(s.spec.selector, labels))) {
    problems.push(`needs a Service named ${object.spec.serviceName} (its serviceName) that selects its pods`);
  }
  if (!find("ServiceAccount", (a) => a.metadata.name === pod.serviceAccountName)) {
    problems.push(`its ServiceAccount ${pod.serviceAccountName} is not rendered`);
  }
  if (!find("PodDisruptionBudget", (b) => selects(b.spec.selector?.matchLabels, labels))) {
    problems.push("no PodDisruptionBudget selects its pods");
  }
  if (!find("NetworkPolicy", (n) => selects(n.spec.podSelector?.matchLabels, labels))) {
    problems.push("no NetworkPolicy selects its pods");
  }
  return problems;
}

// Problems of one service container of a workload.
export function checkWorkload(object, container, values, objects) {
  const program = ((container.command ?? [])[0] ?? "").split("/").pop();
  if (!/^crm-(registry|engagement|satisfaction|tiering)$/.test(program)) return [];
  if (object.kind !== "StatefulSet") return [`runs ${program}, which keeps a RocksDB: it must be a StatefulSet`];
  const problems = [
    ...checkServiceSettings(object, container, values, objects),
    ...checkSecurity(object.spec.template.spec, container),
    ...checkCompanions(object, objects),
  ];
  return problems.map((p) => `container ${container.name}: ${p}`);
}
