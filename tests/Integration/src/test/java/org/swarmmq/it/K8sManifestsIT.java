package org.swarmmq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * k8s/ cannot be applied here (no Kubernetes), so it is checked two ways: against the Kubernetes
 * API's schemas (k8s/validate: kubernetes-models + ajv, installed from the npm registry by this
 * test), and against the node itself: every SWARMMQ_* variable the StatefulSet sets is one the node
 * reads, and its ports and probes are the ones the node listens on. The npm schemas check types and
 * required fields but let unknown fields through, so each object is also read into fabric8's
 * Kubernetes API classes (generated from the same OpenAPI spec), where a field the API does not
 * have lands in an "additionalProperties" map: any such field fails the test (a misspelt
 * {@code readinesProbe} would otherwise be silently ignored by kubectl's client-side apply).
 */
class K8sManifestsIT {
    private static final Path ROOT = Path.of(System.getProperty("swarmmq.root", "../..")).toAbsolutePath().normalize();
    private static final Path K8S = ROOT.resolve("k8s");

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> s = Files.list(K8S)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** Installs the validator (npm ci, from package-lock.json) once, then runs it on {@code files}. */
    private static ExternalProcess validate(List<Path> files) {
        Path validate = K8S.resolve("validate");
        if (!Files.isDirectory(validate.resolve("node_modules"))) {
            ExternalProcess.run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", validate.toString()),
                    Duration.ofMinutes(5));
        }
        List<String> cmd = new ArrayList<>(List.of("node", validate.resolve("validate.mjs").toString()));
        for (Path f : files) cmd.add(f.toString());
        return ExternalProcess.start(cmd);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    private static Map<String, Object> doc(String file, String kind) throws IOException {
        for (Object d : new Yaml().loadAll(Files.readString(K8S.resolve(file)))) {
            if (d != null && kind.equals(map(d).get("kind"))) return map(d);
        }
        throw new AssertionError("no " + kind + " in k8s/" + file);
    }

    private static Map<String, Object> container() throws IOException {
        Map<String, Object> spec = map(map(map(doc("statefulset.yaml", "StatefulSet").get("spec")).get("template")).get("spec"));
        return map(list(spec.get("containers")).get(0));
    }

    private static Map<String, String> env() throws IOException {
        Map<String, String> env = new HashMap<>();
        for (Object e : list(container().get("env"))) {
            Map<String, Object> v = map(e);
            env.put((String) v.get("name"), v.containsKey("value") ? String.valueOf(v.get("value")) : "<from " + v.get("valueFrom") + ">");
        }
        return env;
    }

    private static int containerPort(String name) throws IOException {
        for (Object p : list(container().get("ports"))) {
            if (name.equals(map(p).get("name"))) return (Integer) map(p).get("containerPort");
        }
        throw new AssertionError("no container port named " + name);
    }

    /** Every SWARMMQ_* name the node reads: ${?NAME} in its configuration, getenv("NAME") in its code. */
    private static Set<String> namesTheNodeReads() throws IOException {
        Set<String> names = new TreeSet<>();
        Pattern p = Pattern.compile("\\$\\{\\?(SWARMMQ_[A-Z0-9_]+)}|getenv\\(\"(SWARMMQ_[A-Z0-9_]+)\"\\)");
        List<Path> sources = new ArrayList<>();
        for (String dir : List.of("src/Node/src/main", "src/Actors/src/main/resources")) {
            try (Stream<Path> s = Files.walk(ROOT.resolve(dir))) {
                s.filter(Files::isRegularFile).forEach(sources::add);
            }
        }
        for (Path f : sources) {
            Matcher m = p.matcher(Files.readString(f));
            while (m.find()) names.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return names;
    }

    /** apiVersion/kind of every object k8s/ may contain, and its fabric8 class. */
    private static final Map<String, Class<? extends KubernetesResource>> TYPES = Map.of(
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "rbac.authorization.k8s.io/v1/Role", Role.class,
            "rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class);

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** Problems with one YAML text: unknown apiVersion/kind, wrong types, fields the API does not have. */
    private static List<String> unknownFields(String yaml) {
        List<String> problems = new ArrayList<>();
        for (Object d : new Yaml().loadAll(yaml)) {
            if (d == null) continue;
            Map<String, Object> doc = map(d);
            String type = doc.get("apiVersion") + "/" + doc.get("kind");
            if (type.startsWith("kustomize.config.k8s.io/")) continue; // kubectl's, not an API object
            Class<? extends KubernetesResource> cls = TYPES.get(type);
            if (cls == null) {
                problems.add("no API type " + type);
                continue;
            }
            try {
                collectUnknown(JSON.convertValue(doc, cls), type + " " + map(doc.get("metadata")).get("name"), problems);
            } catch (IllegalArgumentException e) {
                problems.add(type + ": " + e.getMessage());
            }
        }
        return problems;
    }

    /** Walks fabric8 model objects through their getters; reports every non-empty additionalProperties. */
    private static void collectUnknown(Object o, String path, List<String> problems) {
        if (o == null) return;
        if (o instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) collectUnknown(l.get(i), path + "[" + i + "]", problems);
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) collectUnknown(e.getValue(), path + "." + e.getKey(), problems);
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) return; // String, Integer, Boolean...
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || g.getDeclaringClass() == Object.class
                    || !(g.getName().startsWith("get") || g.getName().startsWith("is"))) continue;
            Object v;
            try {
                v = g.invoke(o);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            if (g.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": fields the Kubernetes API does not have: " + extra.keySet());
                }
            } else if (!g.getName().equals("getValue")) { // IntOrString/Quantity: scalars, no fields below
                String field = g.getName().startsWith("get") ? g.getName().substring(3) : g.getName().substring(2);
                collectUnknown(v, path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1), problems);
            }
        }
    }

    @Test
    @DisplayName("every API object in k8s/ reads into the Kubernetes API types (fabric8) with no unknown field; a misspelt one is refused")
    void noUnknownFields() throws IOException {
        int objects = 0;
        for (Path f : manifests()) {
            String yaml = Files.readString(f);
            assertEquals(List.of(), unknownFields(yaml), f.toString());
            for (Object d : new Yaml().loadAll(yaml)) {
                if (d != null && TYPES.containsKey(map(d).get("apiVersion") + "/" + map(d).get("kind"))) objects++;
            }
        }
        assertEquals(8, objects, "ServiceAccount, Role, RoleBinding, Secret, 2 Services, StatefulSet, PDB");
        // The check must be able to fail: misspellings at three depths, and a wrong type.
        String sts = Files.readString(K8S.resolve("statefulset.yaml"));
        for (String[] typo : new String[][] {
                {"readinessProbe:", "readinesProbe:"},
                {"podManagementPolicy:", "podManagmentPolicy:"},
                {"fieldPath: status.podIP", "fieldpath: status.podIP"},
                {"terminationGracePeriodSeconds: 60", "terminationGracePeriodSeconds: sixty"}}) {
            String broken = sts.replaceFirst(Pattern.quote(typo[0]), typo[1]);
            assertNotEquals(sts, broken, typo[0] + " not in statefulset.yaml");
            List<String> problems = unknownFields(broken);
            assertTrue(problems.stream().anyMatch(p -> p.contains(typo[1].replaceAll(":.*", ""))), typo[1] + " not refused: " + problems);
        }
    }

    @Test
    @DisplayName("kustomization.yaml lists every manifest in k8s/ and nothing else")
    void kustomizationListsEveryManifest() throws IOException {
        Set<String> listed = new TreeSet<>();
        for (Object r : list(doc("kustomization.yaml", "Kustomization").get("resources"))) listed.add((String) r);
        Set<String> files = new TreeSet<>();
        for (Path f : manifests()) files.add(f.getFileName().toString());
        files.remove("kustomization.yaml");
        assertEquals(files, listed);
    }

    @Test
    @DisplayName("every manifest is valid against the Kubernetes API schemas; a broken one is refused")
    void schemaValid() throws IOException {
        try (ExternalProcess ok = validate(manifests())) {
            int status = ok.waitFor(Duration.ofMinutes(2));
            assertEquals(0, status, String.join("\n", ok.lines()));
            assertEquals(8, ok.lines().stream().filter(l -> l.contains(": valid (")).count(),
                    "8 API objects: ServiceAccount, Role, RoleBinding, Secret, 2 Services, StatefulSet, PDB\n"
                            + String.join("\n", ok.lines()));
        }
        // The validator must be able to fail: a port given as text instead of a number.
        Path broken = Files.createTempFile("broken", ".yaml");
        Files.writeString(broken, Files.readString(K8S.resolve("statefulset.yaml"))
                .replace("containerPort: 1883", "containerPort: mqtt-port"));
        try (ExternalProcess bad = validate(List.of(broken))) {
            assertNotEquals(0, bad.waitFor(Duration.ofMinutes(2)), "a text containerPort must be refused");
            assertTrue(String.join("\n", bad.lines()).contains("containerPort must be integer"), String.join("\n", bad.lines()));
        } finally {
            Files.deleteIfExists(broken);
        }
    }

    @Test
    @DisplayName("the StatefulSet sets only SWARMMQ_* variables the node reads, and all a cluster on Kubernetes needs")
    void environmentNamesMatchTheNode() throws IOException {
        Set<String> read = namesTheNodeReads();
        Map<String, String> env = env();
        for (String name : env.keySet()) {
            if (name.startsWith("SWARMMQ_")) assertTrue(read.contains(name), name + " is set in k8s/ but the node reads only " + read);
        }
        for (String needed : List.of("SWARMMQ_DB_URL", "SWARMMQ_DB_USER", "SWARMMQ_DB_PASSWORD", "SWARMMQ_CLUSTER_HOST",
                "SWARMMQ_CLUSTER_PORT", "SWARMMQ_MANAGEMENT_PORT", "SWARMMQ_MANAGEMENT_HOST", "SWARMMQ_DISCOVERY")) {
            assertTrue(env.containsKey(needed), needed + " is not set in k8s/statefulset.yaml");
        }
        assertEquals("kubernetes-api", env.get("SWARMMQ_DISCOVERY"));
        // anything else (JAVA_OPTS) is read by the image's entrypoint, not by the node
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        for (String name : env.keySet()) {
            if (!name.startsWith("SWARMMQ_")) assertTrue(dockerfile.contains("$" + name), name + " is set in k8s/ but the Dockerfile's entrypoint does not use it");
        }
    }

    @Test
    @DisplayName("Cluster Bootstrap contacts the container port named in application.conf's port-name: the management port")
    void bootstrapPortNameIsTheManagementPort() throws IOException {
        String conf = Files.readString(ROOT.resolve("src/Node/src/main/resources/application.conf"));
        Matcher m = Pattern.compile("contact-point-discovery\\s*\\{[^}]*?port-name\\s*=\\s*\"([^\"]+)\"").matcher(conf);
        assertTrue(m.find(), "no contact-point-discovery.port-name in application.conf");
        assertEquals(Integer.parseInt(env().get("SWARMMQ_MANAGEMENT_PORT")), containerPort(m.group(1)));
        for (Object p : list(map(doc("service-headless.yaml", "Service").get("spec")).get("ports"))) {
            if ("management".equals(map(p).get("name"))) {
                assertEquals(m.group(1), map(p).get("targetPort"), "headless Service's management targetPort");
                return;
            }
        }
        throw new AssertionError("service-headless.yaml has no port named management");
    }

    @Test
    @DisplayName("container ports are the ones the node is told to use; probes hit Pekko Management's /ready and /alive")
    void portsAndProbesMatch() throws IOException {
        Map<String, String> env = env();
        assertEquals(Integer.parseInt(env.getOrDefault("SWARMMQ_PORT", "1883")), containerPort("mqtt"));
        assertEquals(Integer.parseInt(env.get("SWARMMQ_CLUSTER_PORT")), containerPort("remoting"));
        assertEquals(Integer.parseInt(env.get("SWARMMQ_MANAGEMENT_PORT")), containerPort("management"));
        Map<String, Object> ready = map(map(container().get("readinessProbe")).get("httpGet"));
        Map<String, Object> alive = map(map(container().get("livenessProbe")).get("httpGet"));
        assertEquals("/ready", ready.get("path")); // ManagementIT shows the node answers there
        assertEquals("/alive", alive.get("path"));
        assertEquals("management", ready.get("port"));
        assertEquals("management", alive.get("port"));

        Map<String, Object> labels = map(map(map(map(doc("statefulset.yaml", "StatefulSet").get("spec"))
                .get("template")).get("metadata")).get("labels"));
        for (String file : List.of("service-mqtt.yaml", "service-headless.yaml")) {
            Map<String, Object> selector = map(map(doc(file, "Service").get("spec")).get("selector"));
            assertTrue(labels.entrySet().containsAll(selector.entrySet()), file + " selects " + selector + ", pods have " + labels);
        }
        assertEquals("app=" + labels.get("app"), env.get("SWARMMQ_K8S_POD_LABEL_SELECTOR"));
        Map<String, Object> headless = map(doc("service-headless.yaml", "Service").get("spec"));
        assertEquals("None", headless.get("clusterIP"));
        assertEquals(Boolean.TRUE, headless.get("publishNotReadyAddresses"), "bootstrap must see pods before they are ready");

        Map<String, Object> rule = map(list(doc("rbac.yaml", "Role").get("rules")).get(0));
        assertTrue(list(rule.get("resources")).contains("pods"));
        assertTrue(list(rule.get("verbs")).containsAll(List.of("get", "watch", "list")));
    }
}
