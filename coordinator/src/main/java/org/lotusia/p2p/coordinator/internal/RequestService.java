package org.lotusia.p2p.coordinator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.p2p.coordinator.PeerInfo;
import org.lotusia.p2p.coordinator.ProtocolIds;
import org.lotusia.p2p.coordinator.Registration;
import org.lotusia.p2p.coordinator.RequestException;
import org.lotusia.p2p.coordinator.RequestHandler;
import org.lotusia.p2p.protocol.DecodeResult;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.protocol.P2PProtocol;
import org.lotusia.p2p.security.SecurityDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request/response over one stream per request, with lotus-sdk's framing in both directions: the
 * requester writes one JSON {@code P2PMessage} and closes its write side, the responder answers
 * with one {@code P2PMessage} and closes. The answer's {@code type} is the request's type with
 * {@code :response} appended, or {@code error} with payload {@code {"code","error"}} (the shape of
 * lotus-sdk's {@code createError}).
 *
 * <p>A request passes the security manager like a direct message (bans, size, sender binding,
 * de-duplication, rate limits); the response is read up to {@code maxResponseSize} and must come
 * from the peer that was asked. Threading: stream callbacks and handlers run on the callback
 * executor.
 */
public final class RequestService {

  private static final Logger LOG = LoggerFactory.getLogger(RequestService.class);
  static final String RESPONSE_SUFFIX = ":response";
  static final String ERROR_TYPE = "error";

  private final Context ctx;
  private final PeerTracker peers;

  /**
   * Creates the service for one run.
   *
   * @param ctx the run
   * @param peers the peer table
   */
  public RequestService(Context ctx, PeerTracker peers) {
    this.ctx = ctx;
    this.peers = peers;
  }

  /**
   * Serves requests of a protocol.
   *
   * @param protocolId the libp2p protocol ID
   * @param handler the handler
   * @return the registration that stops serving it
   */
  public Registration serve(String protocolId, RequestHandler handler) {
    ProtocolIds.check(protocolId);
    ctx.host().setStreamHandler(protocolId, s -> accept(s, handler));
    return () -> ctx.host().removeStreamHandler(protocolId);
  }

  private void accept(Stream stream, RequestHandler handler) {
    InboundMessages.read(ctx, stream, (s, remote, r) -> answer(s, remote, r, handler));
  }

  private void answer(Stream stream, String remote, DecodeResult r, RequestHandler handler) {
    SecurityDecision d = ctx.security().checkMessage(remote, r);
    if (!d.accepted()) {
      LOG.debug("request from {} refused: {} ({})", remote, d.reason().code(), d.detail());
      stream.reset();
      return;
    }
    P2PMessage request = ((DecodeResult.Decoded) r).message();
    PeerInfo from = peers.info(remote);
    CompletableFuture<Object> result;
    try {
      Object value = handler.handle(request, from);
      result =
          value instanceof CompletionStage<?> stage
              ? stage.toCompletableFuture().thenApply(v -> (Object) v)
              : CompletableFuture.completedFuture(value);
    } catch (Exception e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete((value, error) -> respond(stream, request, remote, value, error));
  }

  private void respond(Stream stream, P2PMessage request, String remote, Object value, Throwable e) {
    P2PProtocol protocol = ctx.security().protocol();
    P2PMessage response;
    try {
      if (e == null) {
        response =
            protocol.createMessage(
                request.type() + RESPONSE_SUFFIX,
                Json.toTree(value),
                ctx.selfId(),
                remote,
                request.protocol(),
                null);
      } else {
        response = error(request, remote, Futures.unwrap(e));
      }
      byte[] bytes;
      try {
        bytes = protocol.serialize(response);
      } catch (IllegalArgumentException tooBig) {
        bytes = protocol.serialize(error(request, remote, tooBig));
      }
      stream.write(bytes).thenCompose(v -> stream.closeWrite()).whenComplete((v, x) -> stream.close());
    } catch (RuntimeException fail) {
      LOG.warn("could not answer a request of {}", remote, fail);
      stream.reset();
    }
  }

  private P2PMessage error(P2PMessage request, String remote, Throwable e) {
    ObjectNode payload = Json.MAPPER.createObjectNode();
    if (e instanceof RequestException re) {
      payload.put("code", re.code()).put("error", re.getMessage());
    } else {
      LOG.warn("request handler failed on a {} request", request.type(), e);
      payload.put("code", "internal-error").put("error", "the request handler failed");
    }
    return ctx.security()
        .protocol()
        .createMessage(ERROR_TYPE, payload, ctx.selfId(), remote, request.protocol(), null);
  }

  /**
   * Sends a request and reads the response.
   *
   * @param peerId the peer asked
   * @param protocolId the protocol
   * @param type the request's message type
   * @param payload the request payload
   * @param timeout the deadline for the whole exchange
   * @return the response payload, or a failure: {@link RequestException} for an error answer or a
   *     bad response, {@link java.util.concurrent.TimeoutException}, or the dial's failure
   */
  public CompletableFuture<JsonNode> request(
      String peerId, String protocolId, String type, JsonNode payload, Duration timeout) {
    PeerId peer = Context.parsePeer(peerId);
    ProtocolIds.check(protocolId);
    P2PProtocol protocol = ctx.security().protocol();
    P2PMessage request = protocol.createMessage(type, payload, ctx.selfId(), peerId, null, null);
    byte[] bytes = protocol.serialize(request);
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    // the request and the half-close follow the protocol proposal at once (lazy select)
    ctx.newStreamWithData(peer, protocolId, bytes, true)
        .thenCompose(
            s ->
                s.readAll(ctx.config().maxResponseSize())
                    .whenComplete(
                        (v, e) -> {
                          if (e != null || result.isDone()) {
                            s.reset();
                          } else {
                            s.close();
                          }
                        }))
        .thenApply(raw -> parseResponse(raw, peerId, type))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                result.completeExceptionally(Futures.unwrap(e));
              } else {
                result.complete(v);
              }
            });
    return Futures.within(result, timeout, ctx, type + " request to " + peerId);
  }

  private JsonNode parseResponse(byte[] raw, String peerId, String type) {
    P2PMessage response;
    try {
      response = ctx.security().protocol().deserialize(raw);
    } catch (RuntimeException e) {
      throw new RequestException("bad-response", "response of " + peerId + " is not a message: " + e.getMessage());
    }
    if (!peerId.equals(response.from())) {
      throw new RequestException(
          "bad-response", "response claims to be from " + response.from() + ", asked " + peerId);
    }
    JsonNode payload = response.payload();
    if (ERROR_TYPE.equals(response.type())) {
      String code = payload != null && payload.path("code").isTextual() ? payload.get("code").textValue() : "error";
      String text = payload != null ? payload.path("error").asText("no reason given") : "no reason given";
      throw new RequestException(code, text);
    }
    if (!(type + RESPONSE_SUFFIX).equals(response.type())) {
      throw new RequestException(
          "bad-response", "expected a " + type + RESPONSE_SUFFIX + " message, got " + response.type());
    }
    return payload == null ? Json.MAPPER.nullNode() : payload;
  }
}
