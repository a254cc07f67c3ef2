package io.example.routes

import io.ktor.http.HttpStatusCode
import io.ktor.server.application.call
import io.ktor.server.request.receiveText
import io.ktor.server.response.respond
import io.ktor.server.routing.Route
import io.ktor.server.routing.post
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec

fun Route.deliveries(secret: String) {
    post("/deliveries") {
        val body = call.receiveText()
        val mac = Mac.getInstance("HmacSHA256").apply { init(SecretKeySpec(secret.toByteArray(), "HmacSHA256")) }
        val digest = mac.doFinal(body.toByteArray()).joinToString("") { "%02x".format(it) }
        if (digest != call.request.headers["X-Delivery-Signature"]) {
            call.respond(HttpStatusCode.Forbidden)
            return@post
        }
        call.respond(HttpStatusCode.NoContent)
    }
}
