module Api
  class PaymentHooksController < ActionController::API
    def receive
      payload = request.body.read
      sig_header = request.headers["Payments-Signature"]
      hmac = OpenSSL::HMAC.hexdigest(OpenSSL::Digest::SHA256.new, ENV.fetch("PAYMENTS_HOOK_KEY"), payload)
      return head(:bad_request) unless hmac == sig_header

      PaymentEvent.create!(body: payload)
      head :ok
    end
  end
end
