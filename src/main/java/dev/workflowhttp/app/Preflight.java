package dev.workflowhttp.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks a port or a directory before a server that would report its failure without naming it (or not at all:
 * Camel's management server logs a bind failure and starts anyway) is given it.
 */
final class Preflight {

    /** The subdirectories the embedded broker writes. */
    static final String[] BROKER_DIRECTORIES = {"journal", "bindings", "paging", "large-messages"};

    private Preflight() {}

    /** Why nothing can listen on {@code host:port}, or null when a server can bind it now. */
    static String portFlaw(String host, int port) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (IOException e) {
            return "the host " + host + " is not an address of this machine (" + e.getMessage() + ")";
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
            return null;
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (reason.toLowerCase(Locale.ROOT).contains("in use")) {
                return host + ":" + port + " is already in use (by another process, or another instance of the app)";
            }
            return "cannot listen on " + host + ":" + port + " (" + reason + ")";
        }
    }

    /**
     * Refuses the start when the Camel HTTP server of {@code prefix} ({@code camel.management}, Camel's management
     * server; {@code camel.server}, the server of webhook routes) is on and cannot listen on its port: Camel would
     * only log it and start without that server.
     */
    static void checkServerPort(SettingSources sources, String prefix, String consequence) {
        if (!Boolean.parseBoolean(
                sources.value(prefix + ".enabled").orElse("false").trim())) {
            return;
        }
        String host = sources.value(prefix + ".host").orElse("0.0.0.0").trim();
        String port = sources.value(prefix + ".port").orElse("8080").trim();
        String flaw = portFlaw(host, Integer.parseInt(port));
        if (flaw != null) {
            throw new SettingsException(String.format(
                    "%s.port = %s (%s): %s; %s", prefix, port, sources.describe(prefix + ".port"), flaw, consequence));
        }
    }

    /**
     * Why the embedded broker cannot keep its journal under {@code dir}, or null once the directory exists and a file
     * could be written in it.
     */
    static String directoryFlaw(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            return existing + " is a file, not a directory";
        }
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            return "cannot create " + absolute + " (" + reason(e) + ")";
        }
        for (String name : BROKER_DIRECTORIES) {
            Path sub = absolute.resolve(name);
            if (Files.exists(sub) && !Files.isDirectory(sub)) {
                return sub + " is a file, not a directory";
            }
        }
        Path probe = absolute.resolve(".write-check");
        try {
            Files.write(probe, new byte[0]);
            Files.delete(probe);
        } catch (IOException e) {
            return absolute + " is not writable (" + reason(e) + ")";
        }
        return null;
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
