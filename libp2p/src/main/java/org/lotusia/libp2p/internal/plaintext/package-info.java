/**
 * The {@code /plaintext/2.0.0} security protocol, for tests only. Not API.
 */
package org.lotusia.libp2p.internal.plaintext;
