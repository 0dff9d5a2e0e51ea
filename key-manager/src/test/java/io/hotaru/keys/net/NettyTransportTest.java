package io.hotaru.keys.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotaru.keys.store.KeyManagerException;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

class NettyTransportTest {
    @Test
    void epollWhereItLoadsElseNio() {
        assertEquals("epoll", NettyTransport.choose("", true).name());
        assertEquals(
                EpollServerSocketChannel.class, NettyTransport.choose("", true).serverChannel());
        assertEquals("nio", NettyTransport.choose("", false).name());
        assertEquals(NioSocketChannel.class, NettyTransport.choose("", false).clientChannel());
    }

    @Test
    void thePropertyForcesOne() {
        assertEquals("nio", NettyTransport.choose("nio", true).name());
        assertEquals("nio", NettyTransport.choose(" NIO ", true).name());
        assertEquals("epoll", NettyTransport.choose("epoll", true).name());
    }

    @Test
    void refusesWhatItCannotGiveAndSaysTheFix() {
        KeyManagerException noEpoll =
                assertThrows(KeyManagerException.class, () -> NettyTransport.choose("epoll", false));
        assertEquals(KeyManagerException.Code.CONFIG, noEpoll.code());
        assertTrue(noEpoll.getMessage().contains("hotaru.netty.transport=nio"), noEpoll.getMessage());

        KeyManagerException unknown =
                assertThrows(KeyManagerException.class, () -> NettyTransport.choose("kqueue", true));
        assertTrue(unknown.getMessage().startsWith("hotaru.netty.transport=kqueue"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("use epoll or nio"), unknown.getMessage());
    }

    @Test
    void thisBuildRunsOnTheTransportItsPropertyNames() {
        String wanted = System.getProperty(NettyTransport.PROPERTY, "");
        if (wanted.isEmpty()) {
            assumeTrue(Epoll.isAvailable(), "epoll does not load here: " + Epoll.unavailabilityCause());
            assertEquals("epoll", NettyTransport.get().name());
        } else {
            assertEquals(wanted, NettyTransport.get().name());
        }
    }
}
