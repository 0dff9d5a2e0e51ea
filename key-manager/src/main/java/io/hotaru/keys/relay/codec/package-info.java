/** The binary codec of relay messages, with hard size limits; pure (no I/O). */
package io.hotaru.keys.relay.codec;
