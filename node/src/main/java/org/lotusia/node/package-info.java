/**
 * The {@code lotus-p2p} program: {@code node} (a {@code P2PCoordinator} with a data directory, event
 * lines, a status page and metrics), {@code demo}, and the tools {@code id}, {@code ping}, {@code
 * perf}, {@code send}, {@code pubsub}, {@code dht}, {@code resource} and {@code status}.
 */
package org.lotusia.node;
