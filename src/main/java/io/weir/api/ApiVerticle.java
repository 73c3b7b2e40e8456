package io.weir.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.weir.config.ApiConfig;
import io.weir.pipeline.PipelineRuntime;
import io.weir.pipeline.PipelineState;
import io.weir.pipeline.PipelineStats;
import io.weir.sink.SinkVerticle;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API (DESIGN.md §9): health, status and pipeline management, JSON everywhere, errors
 * as {@code {"error", "detail"}} with a 4xx/5xx status. {@link #start()} completes once the port
 * is bound; {@link #actualPort()} tells which one (port 0 picks a free one).
 */
public final class ApiVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
  private static final int MAX_WINDOW_LIMIT = 10_000;

  private final ApiConfig config;
  private final ApiServices services;
  private HttpServer server;
  private HealthChecks health;

  public ApiVerticle(ApiConfig config, ApiServices services) {
    this.config = config;
    this.services = services;
  }

  @Override
  public Future<?> start() {
    health = HealthChecks.create(vertx);
    registerHealthChecks();
    Router router = Router.router(vertx);
    if (config.token() != null) {
      router.route().handler(this::authenticate);
    }
    router.get("/health").handler(this::health);
    router.get("/status").handler(this::status);
    router.get("/pipelines").handler(this::listPipelines);
    router.get("/pipelines/:id").handler(ctx -> withPipeline(ctx, p -> ok(ctx, ApiJson.detail(p))));
    router.get("/pipelines/:id/stats").handler(ctx -> withPipeline(ctx, p -> ok(ctx, ApiJson.stats(p.stats()))));
    router.post("/pipelines/:id/start").handler(ctx -> withPipeline(ctx, p -> lifecycle(ctx, p, p.start())));
    router.post("/pipelines/:id/stop").handler(ctx -> withPipeline(ctx, p -> lifecycle(ctx, p, p.stop())));
    router.get("/windows").handler(this::windows);
    router.get("/watermarks").handler(this::watermarks);
    router.post("/checkpoint").handler(this::triggerCheckpoint);
    router.get("/checkpoints").handler(this::listCheckpoints);
    router.get("/state").handler(this::state);
    router.errorHandler(404, ctx -> ApiError.send(ctx, 404, "not_found", "no route for " + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(405, ctx -> ApiError.send(ctx, 405, "method_not_allowed", ctx.request().method() + " is not allowed on " + ctx.request().path()));
    router.errorHandler(500, ctx -> {
      LOG.error("api: {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
      ApiError.send(ctx, 500, "internal_error", ctx.failure() == null ? "unexpected failure" : ctx.failure().toString());
    });
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(config.port(), config.host())
        .onSuccess(s -> {
          server = s;
          LOG.info("api: REST listening on http://{}:{}", config.host(), s.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The bound port; valid once started. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private void authenticate(RoutingContext ctx) {
    if (ctx.request().method() == HttpMethod.GET && "/health".equals(ctx.request().path())) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.equals("Bearer " + config.token())) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ApiError.send(ctx, 401, "unauthorized", "send the api.token as 'Authorization: Bearer <token>'");
      return;
    }
    ctx.next();
  }

  private void registerHealthChecks() {
    health.register("api", p -> p.complete(Status.OK(new JsonObject().put("port", actualPort()))));
    if (services.metricsEnabled()) {
      health.register(
        "metrics",
        p -> {
          int port = services.metricsPort().getAsInt();
          p.complete(port > 0 ? Status.OK(new JsonObject().put("port", port)) : Status.KO(new JsonObject().put("detail", "metrics endpoint not listening")));
        });
    }
    for (PipelineRuntime pipeline : services.pipelines().all()) {
      health.register(
          "pipeline-" + pipeline.id(),
          p -> {
            PipelineStats s = pipeline.stats();
            JsonObject data = new JsonObject().put("state", s.state().name().toLowerCase(java.util.Locale.ROOT)).put("sink_errors", s.sinkErrors());
            p.complete(s.state() == PipelineState.FAILED ? Status.KO(data) : Status.OK(data));
          });
    }
    if (services.checkpoints() != null) {
      health.register(
          "checkpoints",
          p -> {
            io.weir.checkpoint.CheckpointCoordinator c = services.checkpoints();
            JsonObject data = new JsonObject().put("recovery", services.recovery().get());
            io.weir.checkpoint.CheckpointInfo last = c.lastCompleted();
            if (last != null) {
              data.put("last_completed", last.id()).put("last_completed_at", java.time.Instant.ofEpochMilli(last.startedAtMs()).toString());
            }
            List<io.weir.checkpoint.CheckpointInfo> history = c.history();
            io.weir.checkpoint.CheckpointInfo latest =
                history.stream().filter(i -> !"in_progress".equals(i.status())).findFirst().orElse(null);
            if (latest != null && "failed".equals(latest.status())) {
              p.complete(Status.KO(data.put("last_failed", latest.id()).put("error", latest.error())));
            } else {
              p.complete(Status.OK(data));
            }
          });
    }
    for (SinkVerticle sink : services.sinks()) {
      health.register(
          "sink-" + sink.id(),
          p -> {
            String error = sink.lastError();
            JsonObject data = new JsonObject().put("target", sink.describe()).put("records_written", sink.recordsWritten());
            p.complete(error == null ? Status.OK(data) : Status.KO(data.put("error", error).put("since", String.valueOf(sink.lastErrorAt()))));
          });
    }
  }

  private void health(RoutingContext ctx) {
    health
        .checkStatus()
        .onSuccess(
            result -> {
              JsonObject body = new JsonObject().put("status", CheckResult.isUp(result) ? "UP" : "DOWN");
              JsonArray checks = new JsonArray();
              for (CheckResult check : result.getChecks()) {
                JsonObject c = new JsonObject().put("id", check.getId()).put("status", CheckResult.isUp(check) ? "UP" : "DOWN");
                if (check.getData() != null && !check.getData().isEmpty()) {
                  c.put("data", check.getData());
                }
                checks.add(c);
              }
              body.put("checks", checks);
              reply(ctx, CheckResult.isUp(result) ? 200 : 503, body);
            })
        .onFailure(e -> ApiError.send(ctx, 503, "health_check_failed", e.getMessage()));
  }

  private void status(RoutingContext ctx) {
    long now = services.clock().millis();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    JsonArray pipelines = new JsonArray();
    for (PipelineRuntime p : services.pipelines().all()) {
      pipelines.add(new JsonObject().put("id", p.id()).put("state", p.state().name().toLowerCase(java.util.Locale.ROOT)));
    }
    ok(
        ctx,
        new JsonObject()
            .put("app_name", services.appName())
            .put("version", services.version())
            .put("started_at", services.startedAtMs())
            .put("uptime_ms", now - services.startedAtMs())
            .put("api_port", actualPort())
            .put("metrics_port", services.metricsPort().getAsInt())
            .put("pipelines", pipelines)
            .put(
                "jvm",
                new JsonObject()
                    .put("heap_used_bytes", heap.getUsed())
                    .put("heap_max_bytes", heap.getMax())
                    .put("available_processors", Runtime.getRuntime().availableProcessors())));
  }

  private void listPipelines(RoutingContext ctx) {
    JsonArray list = new JsonArray();
    for (PipelineRuntime p : services.pipelines().all()) {
      list.add(ApiJson.summary(p));
    }
    ok(ctx, new JsonObject().put("pipelines", list));
  }

  private void lifecycle(RoutingContext ctx, PipelineRuntime p, Future<PipelineState> change) {
    change
        .onSuccess(state -> ok(ctx, new JsonObject().put("id", p.id()).put("state", state.name().toLowerCase(java.util.Locale.ROOT))))
        .onFailure(e -> ApiError.send(ctx, 500, "lifecycle_failed", e.getMessage()));
  }

  private void windows(RoutingContext ctx) {
    String pipelineId = ctx.queryParams().get("pipeline");
    String key = ctx.queryParams().get("key");
    String limitParam = ctx.queryParams().get("limit");
    int limit = 100;
    if (limitParam != null) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_WINDOW_LIMIT) {
        ApiError.send(ctx, 400, "bad_request", "limit must be an integer from 1 to " + MAX_WINDOW_LIMIT + ", got '" + limitParam + "'");
        return;
      }
    }
    List<PipelineRuntime> selected = new ArrayList<>();
    if (pipelineId != null) {
      Optional<PipelineRuntime> p = services.pipelines().get(pipelineId);
      if (p.isEmpty()) {
        ApiError.send(ctx, 404, "pipeline_not_found", "no pipeline '" + pipelineId + "'");
        return;
      }
      selected.add(p.get());
    } else {
      selected.addAll(services.pipelines().all());
    }
    int max = limit;
    List<Future<JsonArray>> parts = new ArrayList<>();
    for (PipelineRuntime p : selected) {
      parts.add(p.windows(key, max).map(views -> {
        JsonArray a = new JsonArray();
        views.forEach(v -> a.add(ApiJson.window(p.id(), v)));
        return a;
      }));
    }
    Future.all(parts)
        .onSuccess(all -> {
          JsonArray out = new JsonArray();
          for (int i = 0; i < all.size(); i++) {
            JsonArray part = all.resultAt(i);
            for (int j = 0; j < part.size() && out.size() < max; j++) {
              out.add(part.getValue(j));
            }
          }
          ok(ctx, new JsonObject().put("windows", out));
        })
        .onFailure(e -> ApiError.send(ctx, 500, "windows_failed", e.getMessage()));
  }

  private void watermarks(RoutingContext ctx) {
    JsonArray pipelines = new JsonArray();
    for (PipelineRuntime p : services.pipelines().all()) {
      pipelines.add(ApiJson.watermarks(p, services.idleTimeoutMs(), services.clock().millis()));
    }
    ok(ctx, new JsonObject().put("pipelines", pipelines));
  }

  private void withPipeline(RoutingContext ctx, java.util.function.Consumer<PipelineRuntime> action) {
    String id = ctx.pathParam("id");
    Optional<PipelineRuntime> p = services.pipelines().get(id);
    if (p.isEmpty()) {
      ApiError.send(ctx, 404, "pipeline_not_found", "no pipeline '" + id + "'");
      return;
    }
    action.accept(p.get());
  }

  /** POST /checkpoint: triggers a checkpoint; 202 with its id, 409 while another runs. */
  private void triggerCheckpoint(RoutingContext ctx) {
    io.weir.checkpoint.CheckpointCoordinator c = services.checkpoints();
    if (c == null) {
      ApiError.send(ctx, 503, "unavailable", "checkpoints are not running");
      return;
    }
    long id = c.nextId();
    Future<io.weir.checkpoint.CheckpointInfo> started = c.trigger(io.weir.checkpoint.CheckpointCoordinator.Trigger.API);
    if (started.failed() && started.cause() instanceof io.weir.checkpoint.CheckpointCoordinator.CheckpointInProgressException busy) {
      ApiError.send(ctx, 409, "checkpoint_in_progress", busy.getMessage() + "; retry when it is done (GET /checkpoints)");
      return;
    }
    reply(ctx, 202, new JsonObject().put("id", id).put("status", "in_progress").put("location", "/checkpoints"));
  }

  /** GET /checkpoints: recent checkpoints, newest first. */
  private void listCheckpoints(RoutingContext ctx) {
    io.weir.checkpoint.CheckpointCoordinator c = services.checkpoints();
    JsonArray out = new JsonArray();
    if (c != null) {
      for (io.weir.checkpoint.CheckpointInfo i : c.history()) {
        out.add(ApiJson.checkpoint(i));
      }
    }
    ok(ctx, new JsonObject().put("checkpoints", out).put("recovery", services.recovery().get()));
  }

  private static JsonObject cache(io.weir.pipeline.OperatorVerticle.CacheStats c) {
    return new JsonObject()
        .put("accesses", c.accesses())
        .put("reloads", c.reloads())
        .put("hit_rate", c.hitRate())
        .put("evictions", c.evictions())
        .put("evicted_keys", c.evictedNow());
  }

  /** GET /state: per pipeline, the state store's size and the last checkpoint. */
  private void state(RoutingContext ctx) {
    List<Future<JsonObject>> parts = new ArrayList<>();
    for (PipelineRuntime p : services.pipelines().all()) {
      parts.add(
          p.store()
              .stats()
              .map(
                  st ->
                      new JsonObject()
                          .put("pipeline", p.id())
                          .put("backend", p.store().getClass().getSimpleName())
                          .put("estimated_keys", st.estimatedKeys())
                          .put("live_data_bytes", st.liveDataBytes())
                          .put("memory_bytes", st.memoryBytes())
                          .put("active_key_windows", p.stats().activeKeyWindows())
                          .put("cache", cache(p.cacheStats()))
                          .put("last_checkpoint_state_bytes", p.lastCheckpointStateBytes())));
    }
    Future.all(parts)
        .onSuccess(
            all -> {
              JsonArray pipelines = new JsonArray();
              for (int i = 0; i < all.size(); i++) {
                pipelines.add((JsonObject) all.resultAt(i));
              }
              io.weir.checkpoint.CheckpointInfo last =
                  services.checkpoints() == null ? null : services.checkpoints().lastCompleted();
              ok(ctx, new JsonObject().put("pipelines", pipelines).put("last_checkpoint", last == null ? null : ApiJson.checkpoint(last)));
            })
        .onFailure(ctx::fail);
  }

  private static void ok(RoutingContext ctx, JsonObject body) {
    reply(ctx, 200, body);
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

}
