package com.example.payments;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Hex;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/webhooks")
public class SpringEquals {
    @Value("${payments.webhook-secret}")
    private String webhookSecret;

    @PostMapping("/payments")
    public ResponseEntity<String> handle(@RequestBody String payload,
                                         @RequestHeader("Payments-Signature") String signature) throws Exception {
        Mac sha256 = Mac.getInstance("HmacSHA256");
        sha256.init(new SecretKeySpec(webhookSecret.getBytes(), "HmacSHA256"));
        String computed = Hex.encodeHexString(sha256.doFinal(payload.getBytes()));
        if (!computed.equals(signature)) {
            return ResponseEntity.badRequest().body("invalid signature");
        }
        return ResponseEntity.ok("processed");
    }
}
