package org.lotusia.libp2p.protocol.pubsub;

/**
 * Counters of a {@link GossipSub} since it was created. Each value only grows; read two snapshots
 * and subtract for rates.
 *
 * @param published messages this node published
 * @param delivered received messages accepted (first copies that passed validation); each was
 *     handed to the topic's handlers and forwarded
 * @param duplicates received copies of messages already seen or being validated
 * @param invalid received messages that broke the signature policy or that a validator rejected
 * @param ignored received messages dropped without a penalty: for a topic this node is not
 *     subscribed to, or a validator said {@link TopicValidationResult#IGNORE}
 * @param validationDropped received messages dropped unvalidated, without penalty, because their
 *     topic's validation queue was full (see {@link GossipSubConfig#validationQueueSize()})
 * @param rejectedRpcs inbound RPCs refused whole: oversized, malformed, or over a per-RPC limit
 * @param graylistedRpcs inbound RPCs ignored because their sender scored below the graylist
 *     threshold
 * @param rpcsReceived inbound RPCs decoded
 * @param bytesReceived bytes of inbound RPCs decoded (length prefixes excluded)
 * @param droppedInboundRpcs inbound RPCs dropped unread because they arrived faster than the router
 *     handled them (see {@link GossipSubConfig#inboundQueueBytes()})
 * @param rpcsSent RPCs queued for sending
 * @param bytesSent bytes of RPCs queued for sending, length prefixes included
 * @param droppedOutboundRpcs outbound RPCs dropped: a peer's queue was full or its stream was gone
 * @param droppedDeliveries accepted messages not handed to a handler because the topic's delivery
 *     queue was full
 * @param droppedEvents {@link PubsubListener} events dropped because the event queue was full
 * @param callbackRefusals times the callback executor refused a task (each is offered again later)
 * @param pxSkipped peers learnt through PX that were not connected because {@link
 *     GossipSubConfig#maxPxConnects()} connections were already under way
 */
public record GossipSubStats(
    long published,
    long delivered,
    long duplicates,
    long invalid,
    long ignored,
    long validationDropped,
    long rejectedRpcs,
    long graylistedRpcs,
    long rpcsReceived,
    long bytesReceived,
    long droppedInboundRpcs,
    long rpcsSent,
    long bytesSent,
    long droppedOutboundRpcs,
    long droppedDeliveries,
    long droppedEvents,
    long callbackRefusals,
    long pxSkipped) {}
