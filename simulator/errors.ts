// Error answers. The seeds show no error body; this is the shape Workfront's other APIs answer
// (`{"error": {"class": …, "message": …}}`), which a client reading `error.message` handles.

const CLASSES: Readonly<Record<number, string>> = {
  400: 'ValidationException',
  401: 'AuthenticationException',
  404: 'NotFoundException',
  405: 'MethodNotAllowedException',
  409: 'ConflictException',
  413: 'PayloadTooLargeException',
  429: 'TooManyRequestsException',
  500: 'InternalServerErrorException',
  502: 'BadGatewayException',
  503: 'ServiceUnavailableException',
  504: 'GatewayTimeoutException',
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { class: string; message: string };
}

export function errorBody(status: number, message: string): ErrorBody {
  return { error: { class: `com.attask.common.${CLASSES[status] ?? 'ApiException'}`, message } };
}

/** OAuth 2.0 token endpoints answer RFC 6749 errors instead. */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly code: string,
    description: string,
  ) {
    super(description);
  }
}
