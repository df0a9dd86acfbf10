/** Real-time inference, used by the capture API's proxy mode. Implementation: sagemaker/sagemaker-inference.ts. */

export interface InvokeRequest {
  readonly endpoint: string;
  /** send to this production variant instead of letting the endpoint's weights choose */
  readonly variant?: string;
  readonly contentType: string;
  readonly accept?: string;
  readonly body: Uint8Array | string;
  /** joins the prediction with its label later (SageMaker copies it into the capture record) */
  readonly inferenceId?: string;
}

export interface InvokeResult {
  readonly body: Uint8Array;
  readonly contentType?: string;
  /** the variant that answered */
  readonly invokedVariant?: string;
}

export interface InferenceClient {
  /** Rejects with InferenceError, whose `statusCode` and `retryable` tell a proxy what to answer. */
  invokeEndpoint(request: InvokeRequest): Promise<InvokeResult>;
}
