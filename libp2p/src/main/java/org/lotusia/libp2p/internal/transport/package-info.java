/**
 * Netty transports: TCP (epoll or NIO), WebSocket over TCP, and the in-process transport on local
 * channels. Not API.
 */
package org.lotusia.libp2p.internal.transport;
