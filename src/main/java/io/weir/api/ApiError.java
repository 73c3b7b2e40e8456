package io.weir.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The JSON error body of every failed request: {@code {"error": "...", "detail": "..."}}. */
final class ApiError {
  private ApiError() {}

  static void send(RoutingContext ctx, int status, String error, String detail) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", error).put("detail", detail).encode());
  }
}
