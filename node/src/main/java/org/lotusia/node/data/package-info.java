/** A node's data directory: its identity key and its database (DHT records, provider records, known peers). */
package org.lotusia.node.data;
