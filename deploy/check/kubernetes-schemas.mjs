// Validation of Kubernetes objects against the Kubernetes API schemas of the
// kubernetes-models package, strict about unknown fields.
//
//   const problems = await validateKubernetesObject(object);  // [] when valid
//
// kubernetes-models checks types, enums and required fields, but lets unknown fields pass
// (a misspelt "readinesProbe" would be ignored by the API server's default decoding, and
// the probe silently missing). Its compiled validators read every property the schema
// knows; watching which properties they read tells the unknown ones: any property present
// in the object that the validator never looked at.

const modelCache = new Map();

// The kubernetes-models module of an apiVersion: "apps/v1" -> kubernetes-models/apps/v1,
// "v1" -> kubernetes-models/v1. Undefined for API groups the package does not hold.
async function modelsOf(apiVersion) {
  if (!modelCache.has(apiVersion)) {
    let models;
    try {
      models = await import(`kubernetes-models/${apiVersion}`);
    } catch {
      models = undefined;
    }
    modelCache.set(apiVersion, models);
  }
  return modelCache.get(apiVersion);
}

// A view of `value` that records in `read` the path of every own property looked up.
function recordingReads(value, path, read) {
  if (value === null || typeof value !== "object") return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      const child = Reflect.get(target, key, receiver);
      if (typeof key !== "string" || !Object.prototype.hasOwnProperty.call(target, key)) {
        return child;
      }
      const childPath = `${path}/${key}`;
      read.add(childPath);
      return recordingReads(child, childPath, read);
    },
  });
}

function propertyPaths(value, path, out) {
  if (value === null || typeof value !== "object") return out;
  for (const key of Object.keys(value)) {
    out.push(`${path}/${key}`);
    propertyPaths(value[key], `${path}/${key}`, out);
  }
  return out;
}

// True when the Kubernetes schemas know this apiVersion and kind.
export async function isKubernetesKind(apiVersion, kind) {
  const models = await modelsOf(apiVersion);
  return models !== undefined && typeof models[kind] === "function";
}

// Problems of one object, each a sentence naming the field; empty when it is valid.
export async function validateKubernetesObject(object) {
  const models = await modelsOf(object.apiVersion);
  const Model = models?.[object.kind];
  if (typeof Model !== "function") {
    return [`${object.apiVersion} ${object.kind} is not a Kubernetes API kind`];
  }
  const problems = [];
  const read = new Set();
  try {
    Model.prototype.validate.call(recordingReads(object, "", read));
  } catch (error) {
    problems.push(`schema: ${error.message}`);
  }
  for (const path of propertyPaths(object, "", [])) {
    // A property under an unknown one is reported with its parent only.
    const parent = path.slice(0, path.lastIndexOf("/"));
    if (!read.has(path) && (parent === "" || read.has(parent))) {
      problems.push(`unknown field ${path.slice(1).replaceAll("/", ".")}`);
    }
  }
  return problems;
}
