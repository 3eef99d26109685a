package org.swarmmq.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.swarmmq.protocol.auth.ScramCredentials;
import org.swarmmq.protocol.auth.ScramUsers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code swarmmq [-p PORT] [--bind ADDR] [-v] [-c FILE] [--data DIR]}: starts one node
 * ({@code swarmmq --scram-user NAME}: prints a users-file line instead). Settings
 * come, strongest first, from these flags, JVM {@code -D} properties, the {@code -c} file (HOCON),
 * environment variables ({@code SWARMMQ_PORT}, {@code SWARMMQ_DB_URL}, {@code SWARMMQ_SEED_NODES},
 * ...; see application.conf) and the defaults in reference.conf.
 */
@Command(name = "swarmmq", mixinStandardHelpOptions = true, version = Node.VERSION,
        description = "A clustered MQTT 3.1/3.1.1/5.0 broker on Apache Pekko.")
public final class Main implements Callable<Integer> {
    @Option(names = {"-p", "--port"}, description = "MQTT port (default 1883)")
    Integer port;

    @Option(names = "--bind", description = "address to listen on (default 0.0.0.0)")
    String bind;

    @Option(names = {"-v", "--verbose"}, description = "log every packet in and out, like mosquitto -v")
    boolean verbose;

    @Option(names = {"-c", "--config"}, description = "configuration file (HOCON)")
    File config;

    @Option(names = "--data", description = "data folder for the embedded database (default ./data)")
    File data;

    @Option(names = "--scram-user", paramLabel = "NAME",
            description = "print a users-file line for NAME (swarmmq.auth.users-file) with the password read from"
                    + " the terminal or stdin, and exit")
    String scramUser;

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) System.exit(code);
    }

    @Override
    public Integer call() throws java.io.IOException {
        if (scramUser != null) return printScramUser();
        Node.start(config());
        return 0; // the node runs until SIGTERM; coordinated shutdown ends the JVM
    }

    /** Like mosquitto_passwd: the password never appears on the command line. */
    private int printScramUser() throws java.io.IOException {
        String password;
        java.io.Console console = System.console();
        if (console != null) {
            char[] p = console.readPassword("Password for %s: ", scramUser);
            password = p == null ? null : new String(p);
        } else {
            password = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
        }
        if (password == null || password.isEmpty()) {
            System.err.println("no password given");
            return 2;
        }
        System.out.println(ScramUsers.line(scramUser, ScramCredentials.fromPassword(password)));
        return 0;
    }

    Config config() {
        Map<String, Object> flags = new HashMap<>();
        if (port != null) flags.put("swarmmq.port", port);
        if (bind != null) flags.put("swarmmq.bind", bind);
        if (verbose) flags.put("swarmmq.verbose", true);
        if (data != null) flags.put("swarmmq.data-dir", data.getAbsolutePath());
        Config fromFile = config == null ? ConfigFactory.empty() : ConfigFactory.parseFile(config);
        if (config != null && !config.canRead()) throw new CommandLine.ParameterException(
                new CommandLine(this), "cannot read config file " + config);
        Config stack = ConfigFactory.parseMap(flags)
                .withFallback(ConfigFactory.systemProperties())
                .withFallback(fromFile)
                .withFallback(ConfigFactory.defaultApplication())
                .withFallback(ConfigFactory.defaultReference());
        // Database profile and seed node list follow from other settings: see Deployment.
        return Deployment.overrides(stack.resolve()).withFallback(stack).resolve();
    }
}
