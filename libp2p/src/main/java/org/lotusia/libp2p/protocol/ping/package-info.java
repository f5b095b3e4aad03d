/**
 * Ping ({@code /ipfs/ping/1.0.0}).
 */
package org.lotusia.libp2p.protocol.ping;
