package mmucheck.spec.tlc;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMISocketFactory;
import java.util.Arrays;

/**
 * The main class of a distributed-TLC child JVM: {@code BindRmi ADDRESS CLASS ARGS…} makes every
 * RMI server socket of the JVM (TLC's registry, the server's and the workers' exported objects)
 * listen on ADDRESS only, then runs CLASS's main. TLCServer creates its registry with
 * {@code LocateRegistry.createRegistry(port)}, which would otherwise listen on every interface;
 * with 127.0.0.1 a loopback run is not reachable from the network.
 */
public final class BindRmi {
    private BindRmi() {}

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: BindRmi ADDRESS MAINCLASS [ARGS...]");
            System.exit(2);
        }
        InetAddress addr = InetAddress.getByName(args[0]);
        RMISocketFactory.setSocketFactory(new RMISocketFactory() {
            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                return new ServerSocket(port, 50, addr);
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return new Socket(host, port);
            }
        });
        try {
            Class.forName(args[1]).getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
