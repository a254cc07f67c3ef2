package io.example.hooks

import java.security.MessageDigest
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec

class HookVerifier(private val secret: ByteArray) {
    fun verify(body: ByteArray, signatureHex: String?): Boolean {
        if (signatureHex == null || signatureHex.isEmpty()) return false
        val mac = Mac.getInstance("HmacSHA256")
        mac.init(SecretKeySpec(secret, "HmacSHA256"))
        val expected = mac.doFinal(body).joinToString("") { "%02x".format(it) }
        return MessageDigest.isEqual(expected.toByteArray(), signatureHex.lowercase().toByteArray())
    }
}
