package io.weir.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * Builds the Vert.x instance of a Weir process. Metrics options are fixed when Vert.x is built,
 * before the configuration is loaded, so the Prometheus registry is created first and handed
 * in; it is then served by {@code MetricsVerticle} once the config says where.
 */
public final class WeirVertx {
  private WeirVertx() {}

  public static Vertx create(PrometheusMeterRegistry registry) {
    return Vertx.builder()
        .with(
            new VertxOptions()
                .setMetricsOptions(
                    new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }
}
