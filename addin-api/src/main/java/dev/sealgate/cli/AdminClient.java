package dev.sealgate.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line's only way to the gateway: the admin API of a running node, authenticated like
 * any automation (an API key or a bearer token from the environment). It never opens the database
 * behind the service's back.
 */
final class AdminClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String apiKey;
    private final String token;

    AdminClient(Map<String, String> environment) {
        String url = environment.getOrDefault("SEALGATE_URL", "http://localhost:8080");
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.apiKey = environment.get("SEALGATE_API_KEY");
        this.token = environment.get("SEALGATE_TOKEN");
    }

    Response get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    Response post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    Response delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        if (isBlank(apiKey) && isBlank(token)) {
            throw new CliException("no credentials: set SEALGATE_API_KEY (an admin API key) or SEALGATE_TOKEN (a bearer token)");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(Duration.ofMinutes(2));
        return isBlank(token) ? builder.header("X-Api-Key", apiKey) : builder.header("Authorization", "Bearer " + token);
    }

    private Response send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        HttpRequest request = builder.build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Disposition").orElse(""));
        } catch (ConnectException e) {
            throw new CliException("cannot reach the gateway at " + base + ": is it running? (set SEALGATE_URL)");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** An answer of the admin API. */
    record Response(int status, byte[] body, String contentDisposition) {

        /** The file name the gateway suggests for a download, reduced to a plain name (no path from the server). */
        Optional<String> attachmentName() {
            Matcher m = Pattern.compile("filename=\"?([^\";]+)").matcher(contentDisposition);
            if (!m.find()) {
                return Optional.empty();
            }
            String name = m.group(1).replaceAll(".*[/\\\\]", "");
            return name.isBlank() || name.startsWith(".") ? Optional.empty() : Optional.of(name);
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
