vcl 4.1;

# Creditline behind Varnish 7.1 (Debian's varnish package). Start it with gzip handling
# off, so that brotli, gzip and identity stay three variants made by the service:
#
#   varnishd -a :80 -f /etc/varnish/default.vcl -s malloc,256m -p http_gzip_support=off
#
# (with it on, Varnish asks the backend for gzip only and never stores brotli).
# The service sends PURGE requests with an `xkey` header when content changes
# (CACHE_PURGE_URLS=http://127.0.0.1:6081/): every stored response that names one of
# those keys in its own `xkey` header is banned. A PURGE without `xkey` drops one URL.

import std;

backend creditline {
    .host = "127.0.0.1";
    .port = "3000";
    .connect_timeout = 1s;
    .first_byte_timeout = 10s;
}

# Who may PURGE: the service and operators on this machine.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey) {
            # One URL, every variant of it.
            return (purge);
        }
        # Keys are [A-Za-z0-9:_%-] separated by single spaces, so they go into the
        # expression as they are; anything else could widen the ban, and is refused.
        if (req.http.xkey !~ "^[A-Za-z0-9:_%-]+( [A-Za-z0-9:_%-]+)*$") {
            return (synth(400, "xkey: expected surrogate keys separated by single spaces"));
        }
        if (std.ban("obj.http.xkey ~ (^|\s)(" + regsuball(req.http.xkey, " ", "|") + ")(\s|$)")) {
            return (synth(200, "Banned"));
        }
        return (synth(400, std.ban_error()));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        # The service answers 405 itself.
        return (pass);
    }
    # The service reads no cookie; a browser's would make every request private.
    unset req.http.Cookie;
    # One variant per coding the service makes, chosen as it chooses (brotli first).
    if (req.http.Accept-Encoding ~ "(^|,)\s*br\s*(,|;\s*q=(1|0?\.[0-9]*[1-9])|$)") {
        set req.http.Accept-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "(^|,)\s*(x-)?gzip\s*(,|;\s*q=(1|0?\.[0-9]*[1-9])|$)") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }
    # RSS and Atom vary on Accept (browsers get them as application/xml): two variants,
    # not one per Accept header a client writes. Naming a feed type keeps the feed type.
    if (req.url ~ "\.xml(\?.*)?$") {
        if (req.http.Accept ~ "application/(rss|atom)\+xml") {
            unset req.http.Accept;
        } elsif (req.http.Accept ~ "application/xml") {
            set req.http.Accept = "application/xml";
        } else {
            unset req.http.Accept;
        }
    }
    return (hash);
}

sub vcl_backend_response {
    # Cache-Control gives the TTL (max-age) and the grace (stale-while-revalidate), and
    # errors are no-store. A failed refresh keeps serving the stale copy.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_backend_error {
    # The origin is down: keep the stale copy (grace) rather than store the error.
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    # If-Modified-Since answers 304 only for the exact date, as the service does: dates
    # follow each instance's file times, so another date may describe other bytes.
    if (req.http.If-Modified-Since && !req.http.If-None-Match && req.http.If-Modified-Since != resp.http.Last-Modified) {
        unset req.http.If-Modified-Since;
    }
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Keys are for caches; readers need not download them.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}
