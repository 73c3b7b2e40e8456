package io.weir.pipeline;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes a message object by reference to local consumers (no copy, no serialisation). Such a
 * message must never reach a remote consumer: data stays on the instance that owns its source
 * partition, so only local consumers are registered for it.
 */
final class LocalCodec<T> implements MessageCodec<T, T> {
  private final String name;

  LocalCodec(Class<T> type) {
    this.name = "weir-local-" + type.getName();
  }

  @Override
  public void encodeToWire(Buffer buffer, T t) {
    throw new IllegalStateException(name + " is local-only and cannot cross the network");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new IllegalStateException(name + " is local-only and cannot cross the network");
  }

  @Override
  public T transform(T t) {
    return t;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
