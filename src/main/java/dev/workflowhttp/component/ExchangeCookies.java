package dev.workflowhttp.component;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.hc.client5.http.cookie.BasicCookieStore;
import org.apache.hc.client5.http.cookie.Cookie;
import org.apache.hc.client5.http.cookie.CookieStore;

/**
 * The cookies of one exchange ({@code cookies=exchange}): the store lives in the exchange property
 * {@code CamelWorkflowHttpCookieStore}, so the calls of one workflow run (a login, then calls; the branches of a split
 * share it with their parent) see the cookies earlier calls received, and no other exchange does. The HTTP client's
 * cookie handling decides where each cookie is sent (its domain, path and secure flag).
 */
final class ExchangeCookies {

    static final String PROPERTY = "CamelWorkflowHttpCookieStore";

    /** What a call without {@code cookies=exchange} sees: no cookie, and nothing it receives is kept. */
    static final CookieStore NONE = new CookieStore() {
        @Override
        public void addCookie(Cookie cookie) {}

        @Override
        public List<Cookie> getCookies() {
            return List.of();
        }

        @Override
        @SuppressWarnings("deprecation")
        public boolean clearExpired(Date date) {
            return false;
        }

        @Override
        public boolean clearExpired(Instant date) {
            return false;
        }

        @Override
        public void clear() {}
    };

    private ExchangeCookies() {}

    static CookieStore of(Exchange exchange) {
        synchronized (exchange) {
            CookieStore store = exchange.getProperty(PROPERTY, CookieStore.class);
            if (store == null) {
                store = new BasicCookieStore();
                exchange.setProperty(PROPERTY, store);
            }
            return store;
        }
    }
}
