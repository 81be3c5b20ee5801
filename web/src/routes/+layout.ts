// The studio is an app behind sign-in: pages render in the browser and talk to the API.
export const ssr = false;
