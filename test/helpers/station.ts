/** The order station's error answer (`RestResult`), with the expected status and machine code. */
export function expectStationError(response: { status: number; body: any }, status: number, code: string) {
  expect({ status: response.status, code: response.body?.code, success: response.body?.success }).toEqual({
    status,
    code,
    success: false,
  });
  expect(response.body.globalErrors?.[0]).toMatch(/\S/);
  expect(Array.isArray(response.body.fieldErrors)).toBe(true);
}
