class WebhooksController < ApplicationController
  skip_before_action :verify_authenticity_token

  def create
    body = request.raw_post
    expected = OpenSSL::HMAC.hexdigest("SHA256", Rails.application.credentials.shop_webhook_secret, body)
    received = request.headers["X-Shop-Signature"].to_s
    unless ActiveSupport::SecurityUtils.secure_compare(expected, received)
      head :unauthorized
      return
    end
    event = JSON.parse(body)
    OrderSyncJob.perform_later(event["id"]) if event["topic"] == "orders/create"
    head :ok
  end
end
