package org.acme.webhook;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class ServletVerifier extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = req.getInputStream().readAllBytes();
        String header = req.getHeader("X-Shop-Hmac-Sha256");
        if (header == null) {
            resp.sendError(400);
            return;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(System.getenv("SHOP_SECRET").getBytes(), "HmacSHA256"));
            byte[] computed = mac.doFinal(body);
            byte[] received = Base64.getDecoder().decode(header);
            if (!MessageDigest.isEqual(computed, received)) {
                resp.sendError(401);
                return;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            resp.sendError(400);
            return;
        }
        resp.setStatus(200);
    }
}
