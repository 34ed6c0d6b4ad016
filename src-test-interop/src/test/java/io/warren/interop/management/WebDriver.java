package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Just enough of the W3C WebDriver protocol (JSON over HTTP) to drive Debian's headless Chromium
 * through its chromedriver: no Selenium jars needed. Starts chromedriver on a free port and one
 * browser session; {@link #close} ends both.
 */
final class WebDriver implements AutoCloseable {
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process driver;
    private final String base;
    private final String session;

    /** The chromedriver binary, or null when it is not installed. */
    static Path chromedriver() {
        for (String p : List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    WebDriver(Path chromedriver) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        driver = new ProcessBuilder(chromedriver.toString(), "--port=" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        base = "http://127.0.0.1:" + port;
        waitReady();
        ObjectNode chrome = JSON.createObjectNode();
        chrome.putArray("args").add("--headless=new").add("--no-sandbox").add("--disable-gpu")
                .add("--disable-dev-shm-usage").add("--window-size=1280,1000");
        if (Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            chrome.put("binary", "/usr/bin/chromium");
        }
        ObjectNode caps = JSON.createObjectNode();
        caps.putObject("capabilities").putObject("alwaysMatch").put("browserName", "chrome").set("goog:chromeOptions",
                chrome);
        session = call("POST", "/session", caps).get("sessionId").asText();
    }

    private void waitReady() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (call("GET", "/status", null).path("ready").asBoolean()) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("chromedriver did not start within 15 s");
    }

    private JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode value = JSON.readTree(r.body()).path("value");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("WebDriver " + method + " " + path + ": " + value.path("message").asText());
        }
        return value;
    }

    private String s(String path) {
        return "/session/" + session + path;
    }

    void open(String url) throws IOException, InterruptedException {
        call("POST", s("/url"), JSON.createObjectNode().put("url", url));
    }

    private String find(String css) throws IOException, InterruptedException {
        JsonNode e = call("POST", s("/element"), JSON.createObjectNode().put("using", "css selector").put("value", css));
        return e.get(ELEMENT).asText();
    }

    void type(String css, String text) throws IOException, InterruptedException {
        String id = find(css);
        call("POST", s("/element/" + id + "/clear"), JSON.createObjectNode());
        call("POST", s("/element/" + id + "/value"), JSON.createObjectNode().put("text", text));
    }

    /** Clicks the element; found again once if a refresh of the page replaced it meanwhile. */
    void click(String css) throws IOException, InterruptedException {
        try {
            call("POST", s("/element/" + find(css) + "/click"), JSON.createObjectNode());
        } catch (IllegalStateException e) {
            if (!e.getMessage().contains("stale")) {
                throw e;
            }
            call("POST", s("/element/" + find(css) + "/click"), JSON.createObjectNode());
        }
    }

    /** Chooses an option of a select by value, as a user's choice would (a change event follows). */
    void select(String css, String value) throws IOException, InterruptedException {
        JsonNode ok = script("const e = document.querySelector(" + JSON.writeValueAsString(css) + ");"
                + " if (!e || ![...e.options].some(o => o.value === " + JSON.writeValueAsString(value) + ")) return false;"
                + " e.value = " + JSON.writeValueAsString(value) + "; e.dispatchEvent(new Event('change')); return true;");
        if (!ok.asBoolean()) {
            throw new AssertionError("no option " + value + " in " + css);
        }
    }

    /** Waits (5 s at most) for a confirm or prompt dialog, answers a prompt with {@code text}, and accepts it. */
    String acceptDialog(String text) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (true) {
            try {
                String message = call("GET", s("/alert/text"), null).asText();
                if (text != null) {
                    call("POST", s("/alert/text"), JSON.createObjectNode().put("text", text));
                }
                call("POST", s("/alert/accept"), JSON.createObjectNode());
                return message;
            } catch (IllegalStateException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("no dialog appeared: " + e.getMessage());
                }
                Thread.sleep(50);
            }
        }
    }

    /** Runs a script in the page and returns its result. */
    JsonNode script(String js) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("script", js);
        body.putArray("args");
        return call("POST", s("/execute/sync"), body);
    }

    /** Waits (10 s at most) until the text of the element matching {@code css} contains {@code text}. */
    void awaitText(String css, String text) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = script("const e = document.querySelector(" + JSON.writeValueAsString(css)
                    + "); return e ? e.textContent : '';").asText();
            if (last.contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("'" + text + "' did not appear in " + css + "; it shows: " + last);
    }

    /**
     * Saves a PNG of the page and names it on the test's output in the JUnit attachments form
     * ({@code [[ATTACHMENT|path]]}), which surefire keeps in the test report.
     */
    void screenshot(Path file) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        script("window.scrollTo(0, 0); return 1;"); // the page's head, not wherever the last field scrolled to
        Files.write(file, Base64.getDecoder().decode(call("GET", s("/screenshot"), null).asText()));
        System.out.println("[[ATTACHMENT|" + file.toAbsolutePath() + "]]");
    }

    /** Where the dashboard tests leave their screenshots: target/dashboard-screenshots/NAME.png. */
    static Path screenshotFile(String name) {
        return Path.of(System.getProperty("user.dir"), "target", "dashboard-screenshots", name + ".png");
    }

    @Override
    public void close() {
        try {
            call("DELETE", s(""), null);
        } catch (IOException | RuntimeException e) {
            // the browser may be gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        driver.destroy();
        try {
            if (!driver.waitFor(5, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            driver.destroyForcibly();
        }
    }
}
