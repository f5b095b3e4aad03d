/**
 * Identify and identify push ({@code /ipfs/id/1.0.0}, {@code /ipfs/id/push/1.0.0}).
 */
package org.lotusia.libp2p.protocol.identify;
