/**
 * The binary form of the peer messages: {@link io.hotaru.keys.distill.protocol.codec.MessageCodec}
 * with hard {@link io.hotaru.keys.distill.protocol.codec.CodecLimits}; any refused frame is a
 * {@link io.hotaru.keys.distill.protocol.codec.CodecException}. Pure: bytes in, messages out.
 */
package io.hotaru.keys.distill.protocol.codec;
