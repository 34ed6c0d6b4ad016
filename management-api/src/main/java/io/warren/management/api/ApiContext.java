package io.warren.management.api;

import io.warren.management.BrokerAdmin;
import io.warren.management.http.ApiException;
import io.warren.management.metrics.RateSampler;
import io.warren.management.model.VhostInfo;

/** What every endpoint needs: the broker, the rate sampler and the HTTP listener's address. */
public record ApiContext(BrokerAdmin admin, RateSampler rates, String httpBind, int httpPort) {

    /** The node's name, as every object's {@code node} field shows it. */
    public String nodeName() {
        return admin.node().name();
    }

    /** 404 (Object Not Found) unless the vhost exists. */
    public void requireVhost(String vhost) {
        if (!vhostExists(vhost)) {
            throw ApiException.notFound();
        }
    }

    public boolean vhostExists(String vhost) {
        for (VhostInfo v : admin.vhosts()) {
            if (v.name().equals(vhost)) {
                return true;
            }
        }
        return false;
    }
}
