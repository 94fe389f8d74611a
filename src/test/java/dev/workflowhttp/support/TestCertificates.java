package dev.workflowhttp.support;

import java.net.InetAddress;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * A self-signed certificate made when the test runs, an HTTPS server on 127.0.0.1 presenting it, and the
 * {@link SSLContextParameters} that trust it.
 */
public final class TestCertificates {

    private final HeldCertificate certificate;

    /** A self-signed certificate for {@code hostNames} (and 127.0.0.1). */
    public TestCertificates(String... hostNames) {
        HeldCertificate.Builder builder = new HeldCertificate.Builder()
                .commonName(hostNames.length > 0 ? hostNames[0] : "127.0.0.1")
                .addSubjectAlternativeName("127.0.0.1")
                .duration(1, TimeUnit.HOURS);
        for (String name : hostNames) {
            builder.addSubjectAlternativeName(name);
        }
        certificate = builder.build();
    }

    /** An HTTPS server on 127.0.0.1 presenting the certificate; the caller closes it. */
    public MockWebServer startHttpsServer() throws Exception {
        HandshakeCertificates server =
                new HandshakeCertificates.Builder().heldCertificate(certificate).build();
        MockWebServer webServer = new MockWebServer();
        webServer.useHttps(server.sslSocketFactory());
        webServer.start(InetAddress.getByName("127.0.0.1"), 0);
        return webServer;
    }

    /** SSLContextParameters whose trust store holds only this certificate. */
    public SSLContextParameters trustingIt() throws Exception {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("test-server", certificate.certificate());
        KeyStoreParameters store = new KeyStoreParameters();
        store.setKeyStore(trustStore);
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trust);
        return parameters;
    }
}
