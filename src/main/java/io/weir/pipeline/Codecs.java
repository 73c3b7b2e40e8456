package io.weir.pipeline;

import io.vertx.core.eventbus.EventBus;
import io.weir.event.Barrier;
import io.weir.event.ChannelIdle;
import io.weir.event.EndOfStream;
import io.weir.event.EventBatch;
import io.weir.event.Watermark;
import io.weir.sink.SinkBatch;
import java.util.List;

/** Registers the local codec of every data-path message type, once per Vert.x instance. */
public final class Codecs {
  private static final List<Class<?>> LOCAL_TYPES =
      List.of(
          EventBatch.class,
          Watermark.class,
          Barrier.class,
          EndOfStream.class,
          ChannelIdle.class,
          SinkBatch.class);

  private Codecs() {}

  /** Idempotent: types that already have a default codec are left alone. */
  public static synchronized void register(EventBus bus) {
    for (Class<?> type : LOCAL_TYPES) {
      registerOne(bus, type);
    }
  }

  private static <T> void registerOne(EventBus bus, Class<T> type) {
    try {
      bus.registerDefaultCodec(type, new LocalCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // Registered by an earlier application on the same Vert.x instance (tests).
    }
  }
}
