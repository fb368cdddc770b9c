import { HttpService } from '@nestjs/axios';
import axios, { AxiosRequestConfig, AxiosResponse, CreateAxiosDefaults } from 'axios';
import type { CourierCode } from './courier-adapter';
import { transportFailure } from './http-failures';

/**
 * Couriers are called through @nestjs/axios: one HttpService per courier, with its base URL and
 * headers. Every status comes back as a response (couriers put business errors in bodies); only
 * transport failures throw, already typed.
 */
export class CourierHttp {
  private readonly http: HttpService;

  constructor(
    private readonly courier: CourierCode,
    defaults: CreateAxiosDefaults,
  ) {
    // Courier APIs answer where they are asked, so no redirect-following transport (maxRedirects 0).
    this.http = new HttpService(axios.create({ validateStatus: () => true, maxRedirects: 0, ...defaults }));
  }

  /** Same shape as axios' `request`. */
  async request<T>(config: AxiosRequestConfig): Promise<AxiosResponse<T>> {
    try {
      // The instance itself, not the Observable wrapper: a poll cycle makes thousands of these calls.
      return await this.http.axiosRef.request<T>(config);
    } catch (e) {
      throw transportFailure(this.courier, e) ?? e;
    }
  }

  post<T>(url: string, data: unknown, config: AxiosRequestConfig = {}): Promise<AxiosResponse<T>> {
    return this.request<T>({ ...config, method: 'POST', url, data });
  }
}
