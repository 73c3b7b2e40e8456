package io.weir.app;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking HTTP calls for tests (run on the test thread, never on an event loop). */
final class TestHttp {

  record Response(int status, String body, String contentType) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private TestHttp() {}

  static Response get(int port, String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(port, path)).GET());
  }

  static Response get(int port, String path, String bearer) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(port, path)).header("Authorization", "Bearer " + bearer).GET());
  }

  static Response post(int port, String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(port, path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /**
   * One request on a fresh client (no pooled connection can outlive the server a test closed),
   * bounded as a whole: the request timeout alone does not cover reading the body.
   */
  private static Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    // HTTP/1.1 as curl and Prometheus speak it: the JDK client's default h2c upgrade intermittently
    // stalls on larger bodies (the ~24 kB /metrics page) against Vert.x.
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try {
      HttpResponse<String> r =
          client
              .sendAsync(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
              .get(15, TimeUnit.SECONDS);
      return new Response(r.statusCode(), r.body(), r.headers().firstValue("content-type").orElse(""));
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("no complete response within 15 s", e);
    }
  }
}
