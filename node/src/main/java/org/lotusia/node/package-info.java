/**
 * The {@code lotus-p2p} command line: {@code node}, {@code ping} and {@code perf}.
 */
package org.lotusia.node;
