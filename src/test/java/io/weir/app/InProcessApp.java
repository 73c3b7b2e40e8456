package io.weir.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.weir.config.WeirConfig;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the in-process integration tests share: a temp directory, a Vert.x with Weir's meters,
 * the application under test, and a teardown that shuts both down.
 */
abstract class InProcessApp {
  @TempDir Path temp;
  Vertx vertx;
  PrometheusMeterRegistry registry;
  WeirApplication app;

  void newVertx() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    vertx = WeirVertx.create(registry);
  }

  void startApp(WeirConfig config) throws Exception {
    app = result(WeirApplication.start(vertx, config, registry, InstantSource.system()));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (app != null) {
      result(app.shutdown());
    }
    if (vertx != null) {
      result(vertx.close());
    }
  }

  static <T> T result(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
