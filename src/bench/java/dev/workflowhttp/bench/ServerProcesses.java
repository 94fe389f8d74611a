package dev.workflowhttp.bench;

import static dev.workflowhttp.bench.Stats.f;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The suite's HTTP servers on 127.0.0.1, each a process of its own, outside the JVM that measures: nginx serving the
 * {@code /bytes/<n>} bodies as static files when the machine has nginx (started by the suite with a config it writes
 * to {@code target/bench/nginx}, never a system service), and the suite's own {@link BenchServer} as a child JVM for
 * the trickled bodies ({@code /trickle/...}, which nginx cannot send) and for {@code /bytes/<n>} when there is no
 * nginx. Both are pinned with {@code taskset} to the cores of {@code -Dbench.serverCpus} (default: the last core, on a
 * machine of two cores or more that has {@code taskset}; {@code none}: not pinned). {@code -Dbench.nginx} names the
 * nginx binary ({@code auto}: found on the PATH or in {@code /usr/sbin}), or {@code none} to serve everything from the
 * suite's own server.
 */
final class ServerProcesses implements AutoCloseable {

    /** The static bodies nginx serves, by size. */
    static final int[] STATIC_BODIES = {1024, 16 * 1024, 1024 * 1024};

    private final Process own;
    private final int ownPort;
    private final Process nginx;
    private final int nginxPort;
    private final String nginxVersion;
    private final String pinnedTo;
    private final HttpClient statsClient = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private ServerProcesses(
            Process own, int ownPort, Process nginx, int nginxPort, String nginxVersion, String pinnedTo) {
        this.own = own;
        this.ownPort = ownPort;
        this.nginx = nginx;
        this.nginxPort = nginxPort;
        this.nginxVersion = nginxVersion;
        this.pinnedTo = pinnedTo;
    }

    static ServerProcesses start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String cpus = serverCpus();
        List<String> pin = cpus == null ? List.of() : List.of("taskset", "-c", cpus);
        Process own = null;
        Process nginx = null;
        try {
            List<String> command = new ArrayList<>(pin);
            command.addAll(List.of(
                    javaBinary(),
                    "-Xms64m",
                    "-Xmx512m",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    BenchServer.class.getName()));
            own = new ProcessBuilder(command)
                    .redirectError(dir.resolve("bench-server.err").toFile())
                    .start();
            int ownPort = awaitPort(own);
            String binary = nginxBinary();
            int nginxPort = -1;
            String version = null;
            if (binary != null) {
                version = nginxVersion(binary);
                nginxPort = freePort();
                Path prefix = dir.resolve("nginx").toAbsolutePath();
                writeNginxSite(prefix, nginxPort);
                List<String> nginxCommand = new ArrayList<>(pin);
                nginxCommand.addAll(List.of(binary, "-p", prefix + "/", "-c", "nginx.conf", "-e", "error.log"));
                nginx = new ProcessBuilder(nginxCommand)
                        .redirectErrorStream(true)
                        .redirectOutput(prefix.resolve("nginx.out").toFile())
                        .start();
                awaitListening(nginx, nginxPort, prefix.resolve("error.log"));
            }
            ServerProcesses started = new ServerProcesses(own, ownPort, nginx, nginxPort, version, cpus);
            // nginx outlives a JVM that ends without closing it (Ctrl-C): stop it then too
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "bench-servers-stop"));
            return started;
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(nginx);
            stop(own);
            throw e;
        }
    }

    /** The URL of a path: {@code /bytes/<n>} from nginx when it runs, everything else from the suite's own server. */
    String url(String path) {
        boolean isStatic = nginx != null && path.startsWith("/bytes/");
        return "http://127.0.0.1:" + (isStatic ? nginxPort : ownPort) + path;
    }

    boolean nginx() {
        return nginx != null;
    }

    /** One line for the report: which server serves what, and where it runs. */
    String describe() {
        String where = pinnedTo == null ? "not pinned" : "pinned with `taskset -c " + pinnedTo + "`";
        String own = "the suite's own server (`BenchServer`: one NIO thread, canned responses) in a JVM of its own";
        if (nginx == null) {
            return own + " serves every body (no nginx on this machine), " + where;
        }
        return nginxVersion + " (1 worker process, static files, `sendfile`, keep-alive, no access log; the config "
                + "the suite writes to `target/bench/nginx`) serves the `/bytes` bodies; " + own + " serves the "
                + "trickled ones; both " + where;
    }

    /** CPU time of every server process so far (nginx's master and worker, the suite's own server), in nanoseconds. */
    long cpuNanos() {
        long total = ProcStat.treeCpuNanos(own.toHandle());
        if (nginx != null) {
            total += ProcStat.treeCpuNanos(nginx.toHandle());
        }
        return total;
    }

    /** The most connections the suite's own server had open at once since the last call (this request's included). */
    int takePeakConnections() throws IOException, InterruptedException {
        HttpResponse<String> response = statsClient.send(
                HttpRequest.newBuilder(URI.create(url("/stats"))).build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        return Integer.parseInt(
                body.substring(body.indexOf("peak=") + "peak=".length()).trim());
    }

    @Override
    public void close() {
        stop(nginx);
        stop(own);
    }

    private static void stop(Process process) {
        if (process == null) {
            return;
        }
        try {
            // the own server ends when its standard input does; nginx stops quickly on SIGTERM
            process.getOutputStream().close();
        } catch (IOException e) {
            // gone already
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The {@code taskset} CPU list the servers are pinned to, or null. */
    static String serverCpus() {
        String wanted = System.getProperty("bench.serverCpus", "auto");
        if (wanted.equals("none") || onPath("taskset") == null) {
            return null;
        }
        if (!wanted.isEmpty() && !wanted.equals("auto")) {
            return wanted;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return cores >= 2 ? String.valueOf(cores - 1) : null;
    }

    private static String nginxBinary() {
        String wanted = System.getProperty("bench.nginx", "auto");
        if (wanted.equals("none")) {
            return null;
        }
        if (!wanted.isEmpty() && !wanted.equals("auto")) {
            if (!Files.isExecutable(Path.of(wanted))) {
                throw new IllegalStateException("-Dbench.nginx=" + wanted + " is not an executable file");
            }
            return wanted;
        }
        String found = onPath("nginx");
        if (found != null) {
            return found;
        }
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    private static String onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static String nginxVersion(String binary) throws IOException, InterruptedException {
        Process version =
                new ProcessBuilder(binary, "-v").redirectErrorStream(true).start();
        String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        version.waitFor(10, TimeUnit.SECONDS);
        return out.startsWith("nginx version: ") ? out.substring("nginx version: ".length()) : "nginx";
    }

    /** Writes the config and the static bodies under {@code prefix}. */
    private static void writeNginxSite(Path prefix, int port) throws IOException {
        Path bytes = prefix.resolve("www").resolve("bytes");
        Files.createDirectories(bytes);
        for (int size : STATIC_BODIES) {
            byte[] body = new byte[size];
            for (int i = 0; i < size; i++) {
                body[i] = (byte) ('a' + i % 26);
            }
            Files.write(bytes.resolve(String.valueOf(size)), body);
        }
        Files.createDirectories(prefix.resolve("tmp"));
        // run as root (a container), the workers would switch to "nobody", who may not read the files
        String user = isRoot() ? "user root;\n" : "";
        String conf = "# Written by the benchmark suite (ServerProcesses) for each run; started as\n"
                + "# nginx -p target/bench/nginx/ -c nginx.conf -e error.log\n"
                + user
                + "worker_processes 1;\n"
                + "daemon off;\n"
                + "pid nginx.pid;\n"
                + "error_log error.log warn;\n"
                + "worker_rlimit_nofile 16384;\n"
                + "events {\n"
                + "    worker_connections 8192;\n"
                + "}\n"
                + "http {\n"
                + "    access_log off;\n"
                + "    default_type application/octet-stream;\n"
                + "    sendfile on;\n"
                + "    tcp_nopush on;\n"
                + "    tcp_nodelay on;\n"
                + "    keepalive_timeout 300s;\n"
                + "    keepalive_requests 100000000;\n"
                + "    open_file_cache max=100 inactive=300s;\n"
                + "    client_body_temp_path tmp/body;\n"
                + "    proxy_temp_path tmp/proxy;\n"
                + "    fastcgi_temp_path tmp/fastcgi;\n"
                + "    uwsgi_temp_path tmp/uwsgi;\n"
                + "    scgi_temp_path tmp/scgi;\n"
                + "    server {\n"
                + "        listen 127.0.0.1:" + port + " backlog=4096;\n"
                + "        root www;\n"
                + "    }\n"
                + "}\n";
        Files.writeString(prefix.resolve("nginx.conf"), conf, StandardCharsets.US_ASCII);
        Files.deleteIfExists(prefix.resolve("error.log"));
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return false;
    }

    /** A port free on 127.0.0.1 right now (another process may take it before it is used: rare on loopback). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Reads the own server's first line, {@code listening on <port>}. */
    private static int awaitPort(Process process) throws IOException {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        String line = out.readLine();
        if (line == null || !line.startsWith("listening on ")) {
            throw new IllegalStateException("the benchmark server process did not start (it said: " + line
                    + "; see target/bench/bench-server.err)");
        }
        // nothing more is printed; the pipe is left open and unread
        return Integer.parseInt(line.substring("listening on ".length()).trim());
    }

    private static void awaitListening(Process nginx, int port, Path errorLog)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                throw new IllegalStateException(f(
                        "nginx exited with %d: %s",
                        nginx.exitValue(),
                        Files.exists(errorLog) ? Files.readString(errorLog).trim() : "(no error log)"));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException e) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        throw new IllegalStateException("nginx did not listen on 127.0.0.1:" + port + " within 30 s");
    }
}
