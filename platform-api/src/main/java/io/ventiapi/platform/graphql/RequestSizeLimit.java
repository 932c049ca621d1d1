package io.ventiapi.platform.graphql;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps a request body: a declared length over the cap gets 413 at once; an undeclared (chunked)
 * body is cut off at the cap with {@link TooLarge}, which {@link GraphQlHttpEndpoint} answers 413
 * too.
 */
final class RequestSizeLimit extends OncePerRequestFilter {

    /** The code of the error a request over a size limit gets (HTTP 413). */
    static final String REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE";

    private final long maxBytes;

    RequestSizeLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            TransportErrors.write(
                    response,
                    HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    message(maxBytes),
                    Map.of("code", REQUEST_TOO_LARGE));
            return;
        }
        chain.doFilter(new Limited(request, maxBytes), response);
    }

    static String message(long maxBytes) {
        return "request body over " + maxBytes + " bytes";
    }

    /** Reading a body went past the cap. */
    static final class TooLarge extends IOException {

        TooLarge(long maxBytes) {
            super(message(maxBytes));
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {

        private final long maxBytes;

        Limited(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            var in = super.getInputStream();
            return new ServletInputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0 && ++read > maxBytes) {
                        throw new TooLarge(maxBytes);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = in.read(buffer, offset, length);
                    if (n > 0 && (read += n) > maxBytes) {
                        throw new TooLarge(maxBytes);
                    }
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
