module attributes {nf.model = "unified"} {
  nf.param @embed.tokens : tensor<256x16xf32> init <normal(2.000000e-02)> group <embedding>
  nf.param @layers.0.attn_norm.scale : tensor<16xf32> init <ones> group <scale>
  nf.param @layers.0.attn.wq : tensor<16x16xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.0.attn.wk : tensor<16x16xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.0.attn.wv : tensor<16x16xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.0.attn.wo : tensor<16x16xf32> init <normal(0.014142135623730949)> group <matrix>
  nf.param @layers.0.ffn_norm.scale : tensor<16xf32> init <ones> group <scale>
  nf.param @layers.0.ffn.w_up : tensor<64x16xf32> init <normal(2.000000e-02)> group <matrix>
  nf.param @layers.0.ffn.w_down : tensor<16x64xf32> init <normal(0.014142135623730949)> group <matrix>
  nf.param @final_norm.scale : tensor<16xf32> init <ones> group <scale>
  nf.param @lm_head.weight : tensor<256x16xf32> init <normal(2.000000e-02)> group <head>
  func.func @forward(%arg0: tensor<1x4xi32> {nf.name = "tokens"}, %arg1: tensor<1x4xi32> {nf.name = "targets"}) -> tensor<f32> {
    %0 = nf.get_param @embed.tokens : tensor<256x16xf32>
    %1 = nf.embedding %arg0, %0 : tensor<1x4xi32>, tensor<256x16xf32> -> tensor<1x4x16xf32>
    %2 = nf.rmsnorm %1 eps(9.9999999999999995E-7) : tensor<1x4x16xf32>
    %3 = nf.get_param @layers.0.attn_norm.scale : tensor<16xf32>
    %4 = nf.scale %2, %3 : tensor<1x4x16xf32>, tensor<16xf32>
    %5 = nf.get_param @layers.0.attn.wq : tensor<16x16xf32>
    %6 = nf.linear %4, %5 : tensor<1x4x16xf32>, tensor<16x16xf32> -> tensor<1x4x16xf32>
    %7 = nf.split_heads %6 : tensor<1x4x16xf32> -> tensor<1x4x2x8xf32>
    %8 = nf.get_param @layers.0.attn.wk : tensor<16x16xf32>
    %9 = nf.linear %4, %8 : tensor<1x4x16xf32>, tensor<16x16xf32> -> tensor<1x4x16xf32>
    %10 = nf.split_heads %9 : tensor<1x4x16xf32> -> tensor<1x4x2x8xf32>
    %11 = nf.get_param @layers.0.attn.wv : tensor<16x16xf32>
    %12 = nf.linear %4, %11 : tensor<1x4x16xf32>, tensor<16x16xf32> -> tensor<1x4x16xf32>
    %13 = nf.split_heads %12 : tensor<1x4x16xf32> -> tensor<1x4x2x8xf32>
    %14 = nf.attention %7, %10, %13 rope(1.000000e+04) : tensor<1x4x2x8xf32>
    %15 = nf.merge_heads %14 : tensor<1x4x2x8xf32> -> tensor<1x4x16xf32>
    %16 = nf.get_param @layers.0.attn.wo : tensor<16x16xf32>
    %17 = nf.linear %15, %16 : tensor<1x4x16xf32>, tensor<16x16xf32> -> tensor<1x4x16xf32>
    %18 = nf.add %1, %17 : tensor<1x4x16xf32>, tensor<1x4x16xf32>
    %19 = nf.rmsnorm %18 eps(9.9999999999999995E-7) : tensor<1x4x16xf32>
    %20 = nf.get_param @layers.0.ffn_norm.scale : tensor<16xf32>
    %21 = nf.scale %19, %20 : tensor<1x4x16xf32>, tensor<16xf32>
    %22 = nf.get_param @layers.0.ffn.w_up : tensor<64x16xf32>
    %23 = nf.linear %21, %22 : tensor<1x4x16xf32>, tensor<64x16xf32> -> tensor<1x4x64xf32>
    %24 = nf.gelu %23 : tensor<1x4x64xf32>
    %25 = nf.get_param @layers.0.ffn.w_down : tensor<16x64xf32>
    %26 = nf.linear %24, %25 : tensor<1x4x64xf32>, tensor<16x64xf32> -> tensor<1x4x16xf32>
    %27 = nf.add %18, %26 : tensor<1x4x16xf32>, tensor<1x4x16xf32>
    %28 = nf.rmsnorm %27 eps(9.9999999999999995E-7) : tensor<1x4x16xf32>
    %29 = nf.get_param @final_norm.scale : tensor<16xf32>
    %30 = nf.scale %28, %29 : tensor<1x4x16xf32>, tensor<16xf32>
    %31 = nf.get_param @lm_head.weight : tensor<256x16xf32>
    %32 = nf.linear %30, %31 : tensor<1x4x16xf32>, tensor<256x16xf32> -> tensor<1x4x256xf32>
    %33 = nf.cross_entropy %32, %arg1 : tensor<1x4x256xf32>, tensor<1x4xi32> -> tensor<f32>
    return %33 : tensor<f32>
  }
}

