// Validates Kubernetes manifests against the OpenAPI schemas of the Kubernetes API, as bundled by
// kubernetes-models (generated from the API's OpenAPI spec, checked with ajv): types, required
// fields, enums and formats. Not caught: fields the schema does not know (the schemas allow them).
// usage: node validate.mjs FILE.yaml...   exit 0 when every document is valid, 1 otherwise.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

const groups = { "": "", "apps": "apps", "policy": "policy", "rbac.authorization.k8s.io": "rbac.authorization.k8s.io" };
let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(readFileSync(file, "utf8"))) {
    if (!doc) continue;
    const where = `${file}: ${doc.kind}/${doc.metadata?.name}`;
    if (doc.apiVersion?.startsWith("kustomize.config.k8s.io/")) continue; // not an API object
    const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : ["", doc.apiVersion];
    if (!(group in groups)) { console.log(`${where}: no schema for ${doc.apiVersion}`); failed++; continue; }
    const path = `kubernetes-models/${group ? group + "/" : ""}${version}/${doc.kind}`;
    try {
      const Model = (await import(path))[doc.kind];
      new Model(doc).validate();
      console.log(`${where}: valid (${doc.apiVersion})`);
    } catch (e) {
      console.log(`${where}: INVALID: ${e.message}`);
      failed++;
    }
  }
}
process.exit(failed ? 1 : 0);
