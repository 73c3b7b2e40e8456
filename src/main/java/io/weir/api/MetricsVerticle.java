package io.weir.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.weir.config.MetricsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the Prometheus text format on {@code /metrics}. Completes start once bound. */
public final class MetricsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsVerticle.class);

  private final MetricsConfig config;
  private final PrometheusMeterRegistry registry;
  private HttpServer server;

  public MetricsVerticle(MetricsConfig config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router.errorHandler(404, ctx -> ApiError.send(ctx, 404, "not_found", "metrics are served on /metrics"));
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(config.port(), config.host())
        .onSuccess(s -> {
          server = s;
          LOG.info("metrics: Prometheus endpoint on http://{}:{}/metrics", config.host(), s.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
