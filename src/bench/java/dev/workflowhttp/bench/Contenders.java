package dev.workflowhttp.bench;

import dev.workflowhttp.component.WorkflowHttpComponent;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StreamCache;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.vertx.http.VertxHttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;

/**
 * The contenders of the throughput and allocation runs, all with the same pool size and the same I/O thread count:
 * workflow-http in both body modes, stock camel-http and stock camel-vertx-http, each as the one step of a
 * {@code direct:} route called through a {@link ProducerTemplate}, and Apache HttpClient 5 used directly, classic and
 * async.
 */
final class Contenders implements AutoCloseable {

    static final String WF_MATERIALIZE = "wf-materialize";
    static final String WF_STREAM = "wf-stream";
    static final String CAMEL_HTTP = "camel-http";
    static final String VERTX_HTTP = "camel-vertx-http";
    static final String CLASSIC = "hc5-classic";
    static final String ASYNC = "hc5-async";

    private static final ThreadLocal<byte[]> DRAIN_BUFFER = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    private final CamelContext camel;
    private final WorkflowHttpComponent workflowHttp;
    private final List<Contender> all = new ArrayList<>();

    Contenders(ServerProcesses server, int poolSize, int[] bodySizes) throws Exception {
        camel = new DefaultCamelContext();
        camel.disableJMX();
        workflowHttp = new WorkflowHttpComponent();
        workflowHttp.setMaxConnections(poolSize);
        workflowHttp.setMaxConnectionsPerRoute(poolSize);
        camel.addComponent("workflow-http", workflowHttp);
        HttpComponent http = new HttpComponent();
        http.setMaxTotalConnections(poolSize);
        http.setConnectionsPerRoute(poolSize);
        camel.addComponent("http", http);
        VertxHttpComponent vertxHttp = new VertxHttpComponent();
        // its default pool holds 5 connections per host
        vertxHttp.setWebClientOptions(new WebClientOptions().setMaxPoolSize(poolSize));
        camel.addComponent("vertx-http", vertxHttp);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int size : bodySizes) {
                    String target = server.url("/bytes/" + size).substring("http://".length());
                    from("direct:" + WF_MATERIALIZE + "-" + size).to("workflow-http:http://" + target + "?timeout=30s");
                    from("direct:" + WF_STREAM + "-" + size)
                            .to("workflow-http:http://" + target + "?timeout=30s&bodyMode=stream")
                            .process(Contenders::readBodyWhole);
                    from("direct:" + CAMEL_HTTP + "-" + size).to("http://" + target);
                    from("direct:" + VERTX_HTTP + "-" + size).to("vertx-http:http://" + target);
                }
            }
        });
        camel.start();

        ProducerTemplate blockingTemplate = camel.createProducerTemplate();
        ProducerTemplate asyncTemplate = camel.createProducerTemplate();
        // the template starts the exchange on the caller's thread and completes its future from the route's callback
        asyncTemplate.setThreadedAsyncMode(false);

        all.add(new RouteContender(
                WF_MATERIALIZE, false, asyncTemplate, RouteContender.endpoints(camel, WF_MATERIALIZE, bodySizes)));
        all.add(new RouteContender(
                WF_STREAM, false, asyncTemplate, RouteContender.endpoints(camel, WF_STREAM, bodySizes)));
        all.add(new RouteContender(
                CAMEL_HTTP, true, blockingTemplate, RouteContender.endpoints(camel, CAMEL_HTTP, bodySizes)));
        all.add(new RouteContender(
                VERTX_HTTP, false, asyncTemplate, RouteContender.endpoints(camel, VERTX_HTTP, bodySizes)));
        all.add(new Classic(server, poolSize, bodySizes));
        all.add(new Async(server, poolSize, bodySizes));
    }

    List<Contender> all() {
        return all;
    }

    Contender named(String name) {
        return all.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    WorkflowHttpComponent workflowHttp() {
        return workflowHttp;
    }

    @Override
    public void close() throws Exception {
        for (Contender contender : all) {
            contender.close();
        }
        camel.close();
    }

    static void readBodyWhole(Exchange exchange) throws IOException {
        byte[] buffer = DRAIN_BUFFER.get();
        long total = 0;
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
            }
        }
        exchange.getMessage().setBody(total);
    }

    static long bodyBytes(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof byte[] bytes) {
            return bytes.length;
        }
        if (body instanceof Long count) {
            return count;
        }
        if (body instanceof StreamCache cache) {
            return cache.length();
        }
        byte[] bytes = exchange.getContext().getTypeConverter().convertTo(byte[].class, exchange, body);
        return bytes == null ? -1 : bytes.length;
    }

    /** Apache HttpClient 5 classic, pooled, body read with {@code EntityUtils.toByteArray}. */
    private static final class Classic implements Contender {
        private final CloseableHttpClient client;
        private final Map<Integer, URI> uris = new HashMap<>();

        Classic(ServerProcesses server, int poolSize, int[] bodySizes) {
            client = HttpClients.custom()
                    .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                            .setMaxConnTotal(poolSize)
                            .setMaxConnPerRoute(poolSize)
                            .build())
                    .disableAutomaticRetries()
                    .disableCookieManagement()
                    .build();
            for (int size : bodySizes) {
                uris.put(size, URI.create(server.url("/bytes/" + size)));
            }
        }

        @Override
        public String name() {
            return CLASSIC;
        }

        @Override
        public boolean blocking() {
            return true;
        }

        @Override
        public long call(int bodySize) throws IOException {
            return client.execute(new HttpGet(uris.get(bodySize)), response ->
                    (long) EntityUtils.toByteArray(response.getEntity()).length);
        }

        @Override
        public void close() {
            client.close(CloseMode.GRACEFUL);
        }
    }

    /** Apache HttpClient 5 async, pooled, body collected by a {@link LeanBodyConsumer}. */
    private static final class Async implements Contender {
        private final CloseableHttpAsyncClient client;
        private final Map<Integer, URI> uris = new HashMap<>();

        Async(ServerProcesses server, int poolSize, int[] bodySizes) {
            client = HttpAsyncClients.custom()
                    .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                            .setMaxConnTotal(poolSize)
                            .setMaxConnPerRoute(poolSize)
                            .build())
                    .setIOReactorConfig(IOReactorConfig.custom()
                            .setIoThreadCount(Runtime.getRuntime().availableProcessors())
                            .build())
                    .disableAutomaticRetries()
                    .disableCookieManagement()
                    .build();
            client.start();
            for (int size : bodySizes) {
                uris.put(size, URI.create(server.url("/bytes/" + size)));
            }
        }

        @Override
        public String name() {
            return ASYNC;
        }

        @Override
        public boolean blocking() {
            return false;
        }

        @Override
        public void start(int bodySize, Done done) {
            client.execute(
                    SimpleRequestProducer.create(
                            SimpleRequestBuilder.get(uris.get(bodySize)).build()),
                    new LeanBodyConsumer(),
                    new FutureCallback<byte[]>() {
                        @Override
                        public void completed(byte[] body) {
                            done.done(body.length, null);
                        }

                        @Override
                        public void failed(Exception cause) {
                            done.done(-1, cause);
                        }

                        @Override
                        public void cancelled() {
                            done.done(-1, new IllegalStateException("cancelled"));
                        }
                    });
        }

        @Override
        public void close() {
            client.initiateShutdown();
            try {
                client.awaitShutdown(TimeValue.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.close(CloseMode.IMMEDIATE);
        }
    }
}
