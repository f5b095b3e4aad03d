/** A node's read-only HTTP status: {@code /status} JSON, Prometheus {@code /metrics}, an HTML page. */
package org.lotusia.node.status;
