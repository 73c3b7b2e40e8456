package io.weir.app;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Blocking HTTP calls for tests (run on the test thread, never on an event loop). */
final class TestHttp {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Response(int status, String body, String contentType) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private TestHttp() {}

  static Response get(int port, String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(port, path)).GET());
  }

  static Response post(int port, String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(port, path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> r =
        CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body(), r.headers().firstValue("content-type").orElse(""));
  }
}
