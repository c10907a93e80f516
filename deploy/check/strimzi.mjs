// Checks of the Strimzi resources (KafkaTopic, KafkaUser, KafkaMirrorMaker2): their kind,
// apiVersion and known fields, and the fields the services depend on. Strimzi's CRDs are
// not in the Kubernetes schemas, so the fields are listed here from Strimzi's v1beta2 API
// reference, as far as these manifests use them.
//
//   const problems = checkStrimziObject(object);          // one object on its own
//   const problems = checkRegionTopics(objects, settings); // a region's topics and users

export const STRIMZI_API_VERSION = "kafka.strimzi.io/v1beta2";

const SERVICES = ["registry", "engagement", "satisfaction", "tiering"];
// What each service consumes (libs/customers: every customer service reads the registry's
// and tiering's events; tiering also engagement's and satisfaction's).
const CONSUMES = {
  registry: [],
  engagement: ["registry", "tiering"],
  satisfaction: ["registry", "tiering"],
  tiering: ["registry", "tiering", "engagement", "satisfaction"],
};

// The known fields below spec, by kind; "*" marks a map of free keys.
const SPEC_FIELDS = {
  KafkaTopic: { topicName: "string", partitions: "integer", replicas: "integer", config: "*" },
  KafkaUser: {
    authentication: { type: "string" },
    authorization: {
      type: "string",
      acls: [
        {
          resource: { type: "string", name: "string", patternType: "string" },
          operations: ["string"],
          host: "string",
        },
      ],
    },
    quotas: "*",
  },
  KafkaMirrorMaker2: {
    version: "string",
    replicas: "integer",
    image: "string",
    connectCluster: "string",
    clusters: [
      {
        alias: "string",
        bootstrapServers: "string",
        tls: { trustedCertificates: [{ secretName: "string", certificate: "string", pattern: "string" }] },
        authentication: {
          type: "string",
          certificateAndKey: { secretName: "string", certificate: "string", key: "string" },
        },
        config: "*",
      },
    ],
    mirrors: [
      {
        sourceCluster: "string",
        targetCluster: "string",
        topicsPattern: "string",
        topicsExcludePattern: "string",
        groupsPattern: "string",
        groupsExcludePattern: "string",
        sourceConnector: { tasksMax: "integer", config: "*", autoRestart: "*" },
        checkpointConnector: { tasksMax: "integer", config: "*", autoRestart: "*" },
      },
    ],
    resources: "*",
    logging: "*",
    metricsConfig: "*",
    template: "*",
  },
};

const REQUIRED = {
  KafkaTopic: ["partitions", "replicas"],
  KafkaUser: ["authentication"],
  KafkaMirrorMaker2: ["version", "connectCluster", "clusters", "mirrors"],
};

function checkShape(value, shape, path, problems) {
  if (shape === "*") return;
  if (shape === "string" || shape === "integer") {
    const ok = shape === "string" ? typeof value === "string" : Number.isInteger(value);
    if (!ok) problems.push(`${path} must be ${shape === "string" ? "a string" : "an integer"}`);
    return;
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return problems.push(`${path} must be a list`);
    value.forEach((item, i) => checkShape(item, shape[0], `${path}[${i}]`, problems));
    return;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return problems.push(`${path} must be an object`);
  }
  for (const [key, child] of Object.entries(value)) {
    if (!(key in shape)) problems.push(`unknown field ${path}.${key}`);
    else checkShape(child, shape[key], `${path}.${key}`, problems);
  }
}

// Problems of one Strimzi object on its own.
export function checkStrimziObject(object) {
  const problems = [];
  const name = `${object.kind} ${object.metadata?.name}`;
  if (object.apiVersion !== STRIMZI_API_VERSION) {
    problems.push(`${name}: apiVersion must be ${STRIMZI_API_VERSION}, not ${object.apiVersion}`);
  }
  if (!(object.kind in SPEC_FIELDS)) return [`${name}: not a Strimzi kind these manifests use`];
  for (const key of Object.keys(object)) {
    if (!["apiVersion", "kind", "metadata", "spec"].includes(key)) {
      problems.push(`${name}: unknown field ${key}`);
    }
  }
  if (!object.metadata?.name) problems.push(`${name}: metadata.name is required`);
  if (object.kind !== "KafkaMirrorMaker2" && !object.metadata?.labels?.["strimzi.io/cluster"]) {
    problems.push(`${name}: the label strimzi.io/cluster names the Kafka cluster; it is required`);
  }
  const spec = object.spec ?? {};
  for (const field of REQUIRED[object.kind]) {
    if (spec[field] === undefined) problems.push(`${name}: spec.${field} is required`);
  }
  const shapeProblems = [];
  checkShape(spec, SPEC_FIELDS[object.kind], "spec", shapeProblems);
  problems.push(...shapeProblems.map((p) => `${name}: ${p}`));
  if (object.kind === "KafkaMirrorMaker2") problems.push(...checkMirror(object, name));
  return problems;
}

function checkMirror(object, name) {
  const problems = [];
  const aliases = new Set((object.spec.clusters ?? []).map((c) => c.alias));
  if (!aliases.has(object.spec.connectCluster)) {
    problems.push(`${name}: spec.connectCluster must be one of the clusters' aliases`);
  }
  for (const [i, mirror] of (object.spec.mirrors ?? []).entries()) {
    for (const end of ["sourceCluster", "targetCluster"]) {
      if (!aliases.has(mirror[end])) {
        problems.push(`${name}: spec.mirrors[${i}].${end} "${mirror[end]}" is no cluster alias`);
      }
    }
    // Regional topics carry their region's prefix already; a prefixing replication policy
    // would rename them ("emea.emea.crm…") and break global consumers.
    const policy = mirror.sourceConnector?.config?.["replication.policy.class"];
    if (policy !== "org.apache.kafka.connect.mirror.IdentityReplicationPolicy") {
      problems.push(`${name}: spec.mirrors[${i}] must keep topic names (IdentityReplicationPolicy)`);
    }
    // Java and JavaScript agree on the simple patterns used here.
    const pattern = new RegExp(`^(?:${mirror.topicsPattern})$`);
    for (const service of SERVICES) {
      for (const kind of ["events", "state"]) {
        const topic = `${mirror.sourceCluster}.crm.${service}.${kind}.v1`;
        if (!pattern.test(topic)) {
          problems.push(`${name}: spec.mirrors[${i}].topicsPattern does not copy ${topic}`);
        }
      }
    }
  }
  return problems;
}

function aclAllows(user, type, name, operation) {
  return (user.spec?.authorization?.acls ?? []).some((acl) => {
    const resource = acl.resource ?? {};
    if (resource.type !== type || !(acl.operations ?? []).includes(operation)) return false;
    return resource.patternType === "prefix"
      ? name.startsWith(resource.name)
      : resource.name === name;
  });
}

// Problems of a region's topics and Kafka users against the settings the services run
// with: every topic a service writes or reads exists under the region's prefix, events
// are kept for ever and states compacted, and each service's KafkaUser may do just what
// the service does.
export function checkRegionTopics(objects, settings, where) {
  const problems = [];
  const prefix = settings.CRM_TOPIC_PREFIX ?? "";
  const topics = new Map();
  for (const topic of objects.filter((o) => o.kind === "KafkaTopic")) {
    topics.set(topic.spec?.topicName ?? topic.metadata.name, topic);
  }
  for (const service of SERVICES) {
    for (const kind of ["events", "state"]) {
      const name = `${prefix}crm.${service}.${kind}.v1`;
      const topic = topics.get(name);
      if (topic === undefined) {
        problems.push(`${where}: no KafkaTopic has topicName ${name}, which ${service} uses`);
        continue;
      }
      const config = topic.spec.config ?? {};
      if (kind === "events" && String(config["retention.ms"]) !== "-1") {
        problems.push(`${where}: ${name} must keep events for ever (retention.ms "-1")`);
      }
      if (kind === "state" && config["cleanup.policy"] !== "compact") {
        problems.push(`${where}: ${name} must be compacted (cleanup.policy compact)`);
      }
      topics.delete(name);
    }
  }
  for (const name of topics.keys()) {
    problems.push(`${where}: KafkaTopic ${name} is no topic of the services`);
  }
  const users = new Map(objects.filter((o) => o.kind === "KafkaUser").map((u) => [u.metadata.name, u]));
  for (const service of SERVICES) {
    const user = users.get(`crm-${service}`);
    if (user === undefined) {
      problems.push(`${where}: KafkaUser crm-${service} is missing`);
      continue;
    }
    for (const kind of ["events", "state"]) {
      const topic = `${prefix}crm.${service}.${kind}.v1`;
      if (!aclAllows(user, "topic", topic, "Write")) {
        problems.push(`${where}: KafkaUser crm-${service} may not write ${topic}`);
      }
    }
    for (const source of CONSUMES[service]) {
      const topic = `${prefix}crm.${source}.events.v1`;
      if (!aclAllows(user, "topic", topic, "Read")) {
        problems.push(`${where}: KafkaUser crm-${service} may not read ${topic}`);
      }
    }
    const group = `${prefix}crm-${service}`;
    if (CONSUMES[service].length > 0 && !aclAllows(user, "group", group, "Read")) {
      problems.push(`${where}: KafkaUser crm-${service} may not use its consumer group ${group}`);
    }
  }
  return problems;
}
