package io.memorystreamer.transport.netty.internal;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The I/O implementation under the event loops: Linux native epoll (sendfile for file regions,
 * fewer copies and wake-ups) where its library loads, Java NIO everywhere else.
 */
public enum IoTransport {

    EPOLL {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannelClass() {
            return EpollServerSocketChannel.class;
        }
    },

    NIO {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannelClass() {
            return NioServerSocketChannel.class;
        }
    };

    abstract IoHandlerFactory ioHandlerFactory();

    abstract Class<? extends ServerChannel> serverChannelClass();

    /** Native epoll when it is available on this machine, NIO otherwise. */
    public static IoTransport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** Whether this transport can run here. */
    public boolean isAvailable() {
        return this == NIO || Epoll.isAvailable();
    }

    /** Why this transport was chosen, for the startup log. */
    String reason() {
        if (this == EPOLL) {
            return "the native epoll library is loaded";
        }
        Throwable cause = Epoll.unavailabilityCause();
        return cause == null
                ? "chosen by configuration"
                : "native epoll is unavailable: " + cause;
    }
}
