package org.lotusia.libp2p.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.concurrent.CompletableFuture;

/** Bridges Netty channel futures to {@link CompletableFuture}. */
public final class Futures {

  private Futures() {}

  /** A future completing with the channel of {@code future}, or its failure. */
  public static CompletableFuture<Channel> toChannel(ChannelFuture future) {
    CompletableFuture<Channel> result = new CompletableFuture<>();
    future.addListener(
        f -> {
          if (f.isSuccess()) {
            result.complete(future.channel());
          } else {
            result.completeExceptionally(f.cause());
          }
        });
    return result;
  }

  /** A future completing when {@code future} completes, or with its failure. */
  public static CompletableFuture<Void> toVoid(io.netty.util.concurrent.Future<?> future) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    future.addListener(
        f -> {
          if (f.isSuccess()) {
            result.complete(null);
          } else {
            result.completeExceptionally(f.cause());
          }
        });
    return result;
  }
}
