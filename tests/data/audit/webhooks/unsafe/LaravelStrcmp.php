<?php

namespace App\Http\Controllers\Webhooks;

use App\Http\Controllers\Controller;
use Illuminate\Http\Request;

class LaravelStrcmp extends Controller
{
    public function handle(Request $request)
    {
        $expectedSignature = hash_hmac('sha1', $request->getContent(), env('PARTNER_WEBHOOK_SECRET'));
        if (strcmp($expectedSignature, $request->header('X-Partner-Signature')) !== 0) {
            return response('Unauthorized', 401);
        }
        \App\Models\PartnerEvent::create(['payload' => $request->getContent()]);
        return response('OK', 200);
    }
}
