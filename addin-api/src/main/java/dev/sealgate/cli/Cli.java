package dev.sealgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command line in the service's jar, for what mail admins do by habit ({@code postqueue},
 * {@code postsuper}): {@code java -jar sealgate.jar queue list}. Everything but {@code config check}
 * talks to the admin API of a running node ({@code SEALGATE_URL}, {@code SEALGATE_API_KEY} or
 * {@code SEALGATE_TOKEN}).
 */
public final class Cli {

    private static final Set<String> COMMANDS = Set.of("queue", "held", "cert", "admin", "config", "help", "--help");

    static final String USAGE = """
            usage: java -jar sealgate.jar <command>      (no command: start the service)

              queue list [--next-hop=HOST]     mail waiting for delivery, oldest first (postqueue -p)
              queue retry <message-id>         try a message's waiting recipients now (postqueue -i)
              queue delete <message-id>        delete a message's waiting recipients, no bounce (postsuper -d)
              queue bounce <message-id> [--reason=TEXT]
                                               return them to the sender now, with a non-delivery report
              held list                        mail held by policy, with the reason
              held release <message-id>        release held mail (processed again under the current policy)
              held delete <message-id>         delete held mail
              cert list [--kind=KIND] [--q=TEXT]   certificates (OWN, PARTNER, ANCHOR, INTERMEDIATE)
              cert import <file> [--kind=PARTNER|ANCHOR] [--password-env=VAR]
                                               import PEM, DER or PKCS#12 (password from the named variable)
              cert export <id> [<file>]        a certificate as PEM (stdout without <file>)
              admin create <username> [--role=admin|operator|auditor] [--password-env=VAR]
                                               a local account for the sign-in form (password from VAR,
                                               default SEALGATE_NEW_PASSWORD; 12 characters or more)
              config check [--key=value ...]   validate the configuration and print the start-up summary

            environment: SEALGATE_URL (default http://localhost:8080), SEALGATE_API_KEY or SEALGATE_TOKEN
            exit codes: 0 done, 1 refused or failed, 2 invalid configuration or usage
            """;

    private final AdminClient api;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    Cli(Map<String, String> environment, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.api = new AdminClient(environment);
        this.out = out;
        this.err = err;
    }

    /** Whether these arguments ask for a command rather than the service. */
    public static boolean handles(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    /** Runs a command; returns the process exit code. */
    public static int run(String[] args) {
        return new Cli(System.getenv(), System.out, System.err).execute(args);
    }

    int execute(String[] args) {
        try {
            return dispatch(args);
        } catch (CliException e) {
            err.println("sealgate: " + e.getMessage());
            return e.exitCode();
        } catch (IOException e) {
            err.println("sealgate: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int dispatch(String[] args) throws IOException, InterruptedException {
        String command = args[0] + (args.length > 1 ? " " + args[1] : "");
        String[] rest = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length) : new String[0];
        Map<String, String> options = options(rest);
        List<String> positional = Arrays.stream(rest).filter(a -> !a.startsWith("--")).toList();
        switch (command) {
            case "queue list" -> print(api.get("/api/v1/admin/queues/messages"
                    + (options.containsKey("next-hop") ? "?nextHop=" + encode(options.get("next-hop")) : "")));
            case "queue retry" -> print(api.post("/api/v1/admin/queues/messages/" + id(positional) + "/retry", null));
            case "queue delete" -> done(api.delete("/api/v1/admin/queues/messages/" + id(positional)), "deleted");
            case "queue bounce" -> print(api.post("/api/v1/admin/queues/messages/" + id(positional) + "/bounce",
                    json.writeValueAsString(Collections.singletonMap("reason", options.get("reason")))));
            case "held list" -> print(api.get("/api/v1/admin/held"));
            case "held release" -> print(api.post("/api/v1/admin/held/" + id(positional) + "/release", null));
            case "held delete" -> done(api.delete("/api/v1/admin/held/" + id(positional)), "deleted");
            case "cert list" -> print(api.get("/api/v1/admin/certificates?limit=1000"
                    + (options.containsKey("kind") ? "&kind=" + encode(options.get("kind")) : "")
                    + (options.containsKey("q") ? "&q=" + encode(options.get("q")) : "")));
            case "cert import" -> print(api.post("/api/v1/admin/certificates", importRequest(positional, options)));
            case "cert export" -> export(positional);
            case "admin create" -> print(api.post("/api/v1/admin/accounts", newAccount(positional, options)));
            case "config check" -> {
                return ConfigCheck.run(rest, out, err);
            }
            default -> {
                boolean help = args[0].equals("help") || args[0].equals("--help");
                (help ? out : err).print(USAGE);
                return help ? 0 : 2;
            }
        }
        return 0;
    }

    private String importRequest(List<String> positional, Map<String, String> options) throws IOException {
        if (positional.isEmpty()) {
            throw new CliException("cert import needs a file: cert import <file> [--kind=PARTNER|ANCHOR]", 2);
        }
        Path file = Path.of(positional.get(0));
        if (!Files.isReadable(file)) {
            throw new CliException("cannot read " + file.toAbsolutePath());
        }
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.US_ASCII);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("content", text.contains("-----BEGIN") ? text : Base64.getEncoder().encodeToString(bytes));
        request.put("kind", options.getOrDefault("kind", "PARTNER").toUpperCase(java.util.Locale.ROOT));
        if (options.containsKey("password-env")) {
            String password = environment.get(options.get("password-env"));
            if (password == null) {
                throw new CliException("environment variable " + options.get("password-env") + " is not set", 2);
            }
            request.put("password", password);
        }
        return json.writeValueAsString(request);
    }

    private String newAccount(List<String> positional, Map<String, String> options) {
        if (positional.isEmpty()) {
            throw new CliException("admin create needs a user name: admin create <username> [--role=operator]", 2);
        }
        String variable = options.getOrDefault("password-env", "SEALGATE_NEW_PASSWORD");
        String password = environment.get(variable);
        if (password == null || password.isEmpty()) {
            throw new CliException("set the new account's password in the environment variable " + variable
                    + " (never on the command line, where other users see it)", 2);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("username", positional.get(0));
        request.put("password", password);
        request.put("role", options.getOrDefault("role", "admin"));
        return json.writeValueAsString(request);
    }

    private void export(List<String> positional) throws IOException, InterruptedException {
        AdminClient.Response response = api.get("/api/v1/admin/certificates/" + id(positional) + "/pem");
        ensureOk(response);
        if (positional.size() > 1) {
            Files.write(Path.of(positional.get(1)), response.body());
            out.println("written to " + Path.of(positional.get(1)).toAbsolutePath());
        } else {
            out.print(response.text());
        }
    }

    private void print(AdminClient.Response response) {
        ensureOk(response);
        try {
            JsonNode node = json.readTree(response.body());
            out.println(json.writeValueAsString(node));
        } catch (RuntimeException notJson) {
            out.println(response.text());
        }
    }

    private void done(AdminClient.Response response, String what) {
        ensureOk(response);
        out.println(what);
    }

    private void ensureOk(AdminClient.Response response) {
        if (response.ok()) {
            return;
        }
        String detail = response.text();
        try {
            JsonNode problem = json.readTree(response.body());
            if (problem.hasNonNull("detail")) {
                detail = problem.get("detail").asString();
            } else if (problem.hasNonNull("title")) {
                detail = problem.get("title").asString();
            }
        } catch (RuntimeException notJson) {
            // the body as it came
        }
        throw new CliException("the gateway answered " + response.status() + ": " + detail);
    }

    private static String id(List<String> positional) {
        if (positional.isEmpty()) {
            throw new CliException("this command needs an id (see 'sealgate help')", 2);
        }
        return encode(positional.get(0));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                options.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "" : arg.substring(eq + 1));
            }
        }
        return options;
    }
}
