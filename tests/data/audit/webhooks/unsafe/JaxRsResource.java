package org.shop.api;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.Base64;
import org.apache.commons.codec.digest.HmacAlgorithms;
import org.apache.commons.codec.digest.HmacUtils;

@Path("/hooks/orders")
public class JaxRsResource {
    private static final String KEY = System.getenv("ORDERS_HOOK_KEY");

    @POST
    public Response receive(String body, @HeaderParam("X-Orders-Hmac") String hmacHeader) {
        byte[] raw = new HmacUtils(HmacAlgorithms.HMAC_SHA_256, KEY).hmac(body);
        String expected = Base64.getEncoder().encodeToString(raw);
        if (hmacHeader == null || !hmacHeader.equals(expected)) {
            return Response.status(Response.Status.UNAUTHORIZED).build();
        }
        return Response.accepted().build();
    }
}
